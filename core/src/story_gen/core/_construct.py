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
    validated one does); an absent field takes its default, as validation would. A list or
    dict value is copied, as validation copies it: the model never shares one with the
    document it came from.
    """
    template: dict[str, Any] = {}
    factories: list[tuple[str, Callable[[], Any]]] = []
    required: list[str] = []
    for name, info in cls.model_fields.items():
        factory = info.default_factory
        if factory is not None:
            template[name] = _MISSING
            factories.append((name, factory))  # type: ignore[arg-type]
        elif info.default is PydanticUndefined:
            template[name] = _MISSING
            required.append(name)
        else:
            template[name] = info.default
    size = len(template)
    new = object.__new__
    set_attribute = object.__setattr__

    def build(raw: Mapping[str, Any]) -> M:
        # One dict copy and update in C, then only the few fields that need a look: this is
        # called for every entity of a story, where a Python step per field showed.
        values = template.copy()
        values.update(raw)
        if len(values) != size:
            raise KeyError(f"{cls.__name__} has no field {sorted(set(values) - set(template))}")
        for name in required:
            if values[name] is _MISSING:
                raise KeyError(f"{cls.__name__}.{name} is required")
        for name, factory in factories:
            value = values[name]
            values[name] = factory() if value is _MISSING else value.copy()
        model = new(cls)
        set_attribute(model, "__dict__", values)
        set_attribute(model, "__pydantic_fields_set__", set(raw))
        set_attribute(model, "__pydantic_extra__", None)
        set_attribute(model, "__pydantic_private__", None)
        return model

    return build


_MISSING: Any = object()
