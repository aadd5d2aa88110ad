"""Building blocks of a diagnosis: a diagnostic with the key that sorts it into document order.

An :data:`Entry` pairs a :class:`Diagnostic` with a sort key. Entries are collected per
entity (one theme, character or chapter) and sorted there, so that the whole list is
the concatenation of the per-entity lists: the document's own order (fields in the
contract's order, list items by index) without ever sorting everything again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

from story_gen.core.blueprint import Chapter, Character, StoryBlueprint, Theme
from story_gen.core.diagnostic import Diagnostic, Severity
from story_gen.core.document import BLUEPRINT, ENTITY_LISTS, REFERENCES, SINGULAR
from story_gen.core.paths import PathPart, format_path
from story_gen.core.story import Story

__all__ = [
    "KINDS",
    "MODELS",
    "REF_FIELDS",
    "SEVERITY_RANK",
    "SINGULAR",
    "STRUCTURAL_CODES",
    "Entry",
    "SortKey",
    "describe",
    "entry",
    "field_rank",
    "new_diagnostic",
    "ref_position",
]

SortKey = tuple[int, int, int, str, str]
Entry = tuple[SortKey, Diagnostic]

KINDS = ENTITY_LISTS
MODELS = cast(
    dict[str, type[Theme] | type[Character] | type[Chapter]],
    {f.name: f.shape.model for f in BLUEPRINT.fields if f.shape is not None and f.name in KINDS},
)
REF_FIELDS = REFERENCES
"""Per kind: the fields that hold keys of other entities, and which kind they name."""


def ref_position(kind: str, field: str) -> int:
    """Where ``field`` sits in ``REF_FIELDS[kind]``, and so in an entity's ``Facts.refs``."""
    return [name for name, _ in REF_FIELDS[kind]].index(field)


STRUCTURAL_CODES = frozenset(
    {
        "schema.invalid",
        "schema.unknown_field",
        "key.invalid",
        "key.duplicate",
        "story.unsupported_version",
    }
)
"""Codes of errors that stop the model from being built at all (the others describe an
inconsistent but loadable plan: unknown references, cycles)."""

new_diagnostic: Callable[[dict[str, object]], Diagnostic] = (
    Diagnostic.__pydantic_validator__.validate_python
)
"""Build (and validate) a Diagnostic from a dict: the constructor without its Python frame,
which shows when a full check makes hundreds of them."""

SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
"""Inside one field, errors sort before warnings before infos."""

_SHOWN_TEXT_MAX = 40
"""Longest text :func:`describe` quotes whole; longer text is cut to fit with "..."."""

_FIELD_RANKS: dict[str, dict[str, int]] = {
    "": {name: rank for rank, name in enumerate(StoryBlueprint.model_fields)},
    "story": {name: rank for rank, name in enumerate(Story.model_fields)},
    **{kind: {name: rank for rank, name in enumerate(MODELS[kind].model_fields)} for kind in KINDS},
}
_UNKNOWN_FIELD_RANK = 100


def field_rank(kind: str, name: str, position: int = 0) -> int:
    """Where field ``name`` of a ``kind`` ("" = the blueprint) sorts; unknown fields go last."""
    rank = _FIELD_RANKS[kind].get(name)
    return rank if rank is not None else _UNKNOWN_FIELD_RANK + position


def entry(
    severity: Severity,
    code: str,
    path: str | Sequence[PathPart],
    message: str,
    hint: str | None = None,
    *,
    rank: tuple[int, int] = (-1, -1),
) -> Entry:
    """A diagnostic and its sort key; ``rank`` is (field rank, index inside the field)."""
    if not isinstance(path, str):
        path = format_path(path)
    diagnostic = new_diagnostic(
        {"severity": severity, "code": code, "path": path, "message": message, "hint": hint}
    )
    return ((rank[0], rank[1], SEVERITY_RANK[severity], code, message), diagnostic)


def describe(value: object) -> str:
    """A value's JSON type in a writer's words: "a number (5)", "a list", "null"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        shown = value if len(value) <= _SHOWN_TEXT_MAX else value[: _SHOWN_TEXT_MAX - 3] + "..."
        return f'the text "{shown}"'
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"
