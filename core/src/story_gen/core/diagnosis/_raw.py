"""Editing a raw (JSON-like) blueprint by diagnostic paths, copying only what is on the way.

The diagnosis session holds whatever value it was given (it never raises on bad input), so
its edits address that value with the paths diagnostics use, not with key paths.
"""

from __future__ import annotations

from collections.abc import Sequence

from story_gen.core.diagnosis._entity import is_list
from story_gen.core.diagnosis._entries import KINDS
from story_gen.core.paths import InvalidPathError, PathPart, parse_path

__all__ = ["InvalidEditError", "delete_in", "index_in", "owned", "parts_of", "set_in"]


class InvalidEditError(ValueError):
    """An edit addressed a location the document does not have; nothing was changed."""


def owned(raw: object) -> object:
    """A copy of the document's spine (top object and entity lists) the session may change."""
    if not isinstance(raw, dict):
        return raw
    own = dict(raw)
    for kind in KINDS:
        if is_list(own.get(kind)):
            own[kind] = list(own[kind])
    return own


def set_in(container: object, parts: Sequence[PathPart], value: object) -> object:
    """``container`` with ``value`` at ``parts``, copying only the objects on the way."""
    head, rest = parts[0], parts[1:]
    if isinstance(container, dict) and isinstance(head, str):
        copy = dict(container)
        if rest:
            if head not in container:
                raise InvalidEditError(f'there is no field "{head}" to edit inside')
            copy[head] = set_in(container[head], rest, value)
        else:
            copy[head] = value
        return copy
    if is_list(container) and isinstance(head, int) and not isinstance(head, bool):
        items = list(container)  # type: ignore[call-overload]
        if rest and head < len(items):
            items[head] = set_in(items[head], rest, value)
        elif not rest and head < len(items):
            items[head] = value
        elif not rest and head == len(items):
            items.append(value)
        else:
            raise InvalidEditError(f"index {head} is past the end of a list of {len(items)}")
        return items
    raise InvalidEditError(f"cannot address {head!r} inside {type(container).__name__}")


def delete_in(container: object, parts: Sequence[PathPart]) -> object:
    head, rest = parts[0], parts[1:]
    if isinstance(container, dict) and isinstance(head, str) and head in container:
        copy = dict(container)
        if rest:
            copy[head] = delete_in(container[head], rest)
        else:
            del copy[head]
        return copy
    if (
        is_list(container)
        and isinstance(head, int)
        and not isinstance(head, bool)
        and 0 <= head < len(container)  # type: ignore[arg-type]
    ):
        items = list(container)  # type: ignore[call-overload]
        if rest:
            items[head] = delete_in(items[head], rest)
        else:
            del items[head]
        return items
    raise InvalidEditError(f"there is nothing at {head!r} to delete")


def parts_of(path: str | Sequence[PathPart]) -> tuple[PathPart, ...]:
    if isinstance(path, str):
        try:
            return parse_path(path)
        except InvalidPathError as exc:
            raise InvalidEditError(str(exc)) from None
    return tuple(path)


def index_in(part: PathPart, length: int, *, allow_end: bool) -> int:
    if isinstance(part, bool) or not isinstance(part, int):
        raise InvalidEditError(f"expected a list index, got {part!r}")
    if part < 0 or part > length or (part == length and not allow_end):
        raise InvalidEditError(f"index {part} is out of range for a list of {length}")
    return part
