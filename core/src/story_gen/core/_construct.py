"""Building a model from values already known valid, without validating them again.

Only for the flat entity models (themes, characters, chapters: strings, numbers, lists and
dicts of strings), and only from a document proved to be the canonical form the core wrote
(``story_gen.core.stored``): there the validator would return exactly these values.
``pydantic.BaseModel.model_construct`` does the same job generically at about three times
the cost, which at a thousand chapters is the saving this module exists for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

__all__ = ["constructor"]

M = TypeVar("M", bound=BaseModel)


def constructor(cls: type[M]) -> Callable[[Mapping[str, Any]], M]:
    """A function building ``cls`` from a mapping of its (valid, normalised) field values.

    Fields are set in the model's declared order (so the model serialises byte for byte as a
    validated one does); an absent field takes its default, as validation would.
    """
    fields: list[tuple[str, Any, Callable[[], Any] | None]] = []
    for name, info in cls.model_fields.items():
        factory = info.default_factory
        if factory is None and info.default is PydanticUndefined:
            fields.append((name, PydanticUndefined, None))
        else:
            fields.append((name, info.default, factory))  # type: ignore[arg-type]
    new = object.__new__
    set_attribute = object.__setattr__

    def build(raw: Mapping[str, Any]) -> M:
        values: dict[str, Any] = {}
        for name, default, factory in fields:
            if name in raw:
                value = raw[name]
                # Containers are copied, as validation copies them: the model must not share
                # a list with the document it came from (the caller may reuse that).
                kind = type(value)
                values[name] = kind(value) if kind is list or kind is dict else value
            elif factory is not None:
                values[name] = factory()
            elif default is PydanticUndefined:
                raise KeyError(f"{cls.__name__}.{name} is required")
            else:
                values[name] = default
        model = new(cls)
        set_attribute(model, "__dict__", values)
        set_attribute(model, "__pydantic_fields_set__", set(raw))
        set_attribute(model, "__pydantic_extra__", None)
        set_attribute(model, "__pydantic_private__", None)
        return model

    return build
