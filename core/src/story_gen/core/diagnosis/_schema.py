"""Turn pydantic validation errors into diagnostics a writer understands.

pydantic says ``String should match pattern '^[A-Za-z]...'``; a writer needs
``"Mad Tea Party!" is not a valid key: a key may hold only letters a-z, digits, '-'
and '_' (found ' ', '!')`` and a suggestion. Each pydantic error ``loc`` becomes a
path below the entity being checked, using the raw document's own indexes and
field names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic_core import ErrorDetails

from story_gen.core.blueprint import Theme
from story_gen.core.diagnosis._entries import KINDS, REF_FIELDS, Entry, describe, entry, field_rank
from story_gen.core.diagnostic import Severity
from story_gen.core.keys import key_problem, normalize_key, suggest_key
from story_gen.core.paths import PathPart, format_path
from story_gen.core.suggest import closest

__all__ = ["KEY_FIELDS", "schema_entries"]

KEY_FIELDS = frozenset({"key", *(field for kind in KINDS for field, _ in REF_FIELDS[kind])})
"""Fields whose values (or, for relationships, whose object keys) are entity keys."""


def _bounds(model: type[Theme], field: str) -> tuple[int, int]:
    """The inclusive (ge, le) bounds the contract puts on a number field."""
    metadata = model.model_fields[field].metadata
    low = next(m.ge for m in metadata if isinstance(getattr(m, "ge", None), int))
    high = next(m.le for m in metadata if isinstance(getattr(m, "le", None), int))
    return low, high


PRIORITY_MIN, PRIORITY_MAX = _bounds(Theme, "priority")

_KEY_SHAPE = 'a key is lowercase letters a-z, digits, "-" and "_", starting with a letter'

_FIELD_HELP = {
    "required_themes": 'a list of theme keys, e.g. ["hope", "loss"]',
    "participating_characters": 'a list of character keys, e.g. ["alice", "white-rabbit"]',
    "prerequisites": 'a list of chapter keys, e.g. ["down-the-rabbit-hole"]',
    "canon_rules": 'a list of sentences, e.g. ["Magic always has a price."]',
    "voice_markers": 'a list of phrases, e.g. ["Oh dear! Oh dear!"]',
    "relationships": 'an object from character key to description, e.g. {"alice": "sister"}',
    "themes": 'a list of themes, e.g. [{"key": "hope", "statement": "...", "priority": 5}]',
    "characters": 'a list of characters, e.g. [{"key": "alice", "role": "protagonist"}]',
    "chapters": 'a list of chapters, e.g. [{"key": "opening", "title": "..."}]',
}


def _position(container: object, name: object) -> int:
    if isinstance(container, Mapping):
        for position, key in enumerate(container):
            if key == name:
                return position
    return 0


def _locate(
    loc: Sequence[int | str], raw: object, kind: str
) -> tuple[list[PathPart], tuple[int, int], bool]:
    """Path parts below the entity, sort rank, and whether the error is about a key."""
    parts: list[PathPart] = []
    is_dict_key = False
    for part in loc:
        if part == "[key]":
            is_dict_key = True
        else:
            parts.append(part)
    if not parts:
        return parts, (-1, -1), False
    name = str(parts[0])
    first = field_rank(kind, name, _position(raw, name))
    second = -1
    if len(parts) > 1:
        sub = parts[1]
        if isinstance(sub, int):
            second = sub
        else:
            field_value = raw.get(name) if isinstance(raw, Mapping) else None
            second = _position(field_value, sub)
    about_key = name in KEY_FIELDS and (name != "relationships" or is_dict_key)
    return parts, (first, second), about_key


def _key_entry(
    prefix: Sequence[PathPart], parts: list[PathPart], rank: tuple[int, int], value: object
) -> Entry:
    if isinstance(value, str):
        problem = key_problem(normalize_key(value)) or (
            "a key may hold only the letters a-z (no accents), digits, '-' and '_'"
        )
        return entry(
            Severity.ERROR,
            "key.invalid",
            [*prefix, *parts],
            f'"{value}" is not a valid key: {problem}.',
            f'Try "{suggest_key(value)}" ({_KEY_SHAPE}).',
            rank=rank,
        )
    return entry(
        Severity.ERROR,
        "schema.invalid",
        [*prefix, *parts],
        f"A key should be text, not {describe(value)}.",
        f'Write it in double quotes, e.g. "{suggest_key(str(value))}".',
        rank=rank,
    )


def _message(error: ErrorDetails, name: str, label: str) -> tuple[str, str | None]:
    kind = error["type"]
    value = error.get("input")
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    help_text = _FIELD_HELP.get(name)
    if kind == "missing":
        field = name.rsplit(".", 1)[-1]
        shape = f" ({_KEY_SHAPE})" if field == "key" else ""
        return f"{label} has no {field}.", f'Add a "{field}" field{shape}.'
    if kind == "string_type":
        return f"{name} should be text, not {describe(value)}.", "Put the text in double quotes."
    if kind in ("list_type", "iterable_type"):
        return f"{name} should be a list, not {describe(value)}.", (
            f"Write {help_text}." if help_text else "Put the items in [ ]."
        )
    if kind == "dict_type":
        return f"{name} should be an object, not {describe(value)}.", (
            f"Write {help_text}." if help_text else "Put the fields in { }."
        )
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{name} should be a whole number, not {describe(value)}.", None
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        low, high = ctx.get("ge"), ctx.get("le")
        if name == "priority":
            return (
                f"priority is {value}, but it must be between {PRIORITY_MIN} and {PRIORITY_MAX}.",
                f"Use {PRIORITY_MAX} for the most important theme and {PRIORITY_MIN} for the least.",
            )
        bound = f"at least {low}" if low is not None else f"at most {high}"
        return f"{name} is {value}, but it must be {bound}.", None
    if kind == "literal_error":
        choices = str(ctx.get("expected", "")).replace("'", "")
        return (
            f"{name} is {describe(value)}, but it must be one of {choices}.",
            None,
        )
    if kind == "string_too_short":
        return f"{name} is empty.", f"Write a {name}."
    if kind == "string_too_long":
        return f"{name} is too long (at most {ctx.get('max_length')} characters).", None
    if kind.startswith("uuid"):
        return (
            f"{name} should be a UUID, not {describe(value)}.",
            'A UUID looks like "5f0c6c1e-3b1a-4c55-9d0e-3f2a7b9c1d2e".',
        )
    if kind.startswith(("datetime", "timezone")):
        return (
            f"{name} should be a date and time with a time zone, not {describe(value)}.",
            'Write it like "2024-05-01T12:00:00Z".',
        )
    message = error["msg"]
    return f"{name}: {message[:1].lower()}{message[1:]}.", None


def schema_entries(
    errors: Sequence[ErrorDetails],
    *,
    prefix: Sequence[PathPart],
    kind: str,
    raw: object,
    label: str,
    fields: Sequence[str],
    singular: str,
    skip: frozenset[str] = frozenset(),
) -> list[Entry]:
    """Diagnostics for pydantic ``errors`` of one object at ``prefix``.

    ``kind`` picks the field order ("" for the blueprint, or a section name); ``label``
    names the object in messages ("Chapter \\"tea-party\\""); ``fields`` are its known
    field names (for "did you mean"); errors under a field in ``skip`` are dropped
    (the caller checks those itself).
    """
    out: list[Entry] = []
    for error in errors:
        loc = error["loc"]
        if loc and loc[0] in skip:
            continue
        parts, rank, about_key = _locate(loc, raw, kind)
        path = [*prefix, *parts]
        name = str(parts[0]) if parts else singular
        if error["type"] == "extra_forbidden":
            guess = closest(name, fields)
            out.append(
                entry(
                    Severity.ERROR,
                    "schema.unknown_field",
                    path,
                    f'"{name}" is not a field of {"a" if singular[0] not in "aeiou" else "an"} '
                    f"{singular}.",
                    f'Did you mean "{guess}"?'
                    if guess
                    else f"The fields of a {singular} are: {', '.join(fields)}.",
                    rank=rank,
                )
            )
        elif about_key and error["type"] != "missing" and not _is_container_error(error):
            out.append(_key_entry(prefix, parts, rank, error.get("input")))
        else:
            where = format_path(parts) if parts else singular
            message, hint = _message(error, where, label)
            out.append(entry(Severity.ERROR, "schema.invalid", path, message, hint, rank=rank))
    return out


def _is_container_error(error: ErrorDetails) -> bool:
    # "required_themes should be a list" is about the field, not about one key in it.
    return len(error["loc"]) == 1 and error["loc"][0] != "key"
