"""``describe(patch)``: what a patch changes, in sentences a writer reads.

One sentence per thing changed, in the patch's order, naming it first::

    chapter `mad-tea-party`: prerequisite `pig-and-pepper` removed; objective "..." -> "..."
    theme `identity`: priority 9 -> 7
    canon rules: "The Queen's sentences are never carried out." added

Long texts are shortened (the patch itself holds them in full).
"""

from __future__ import annotations

from pydantic import JsonValue

from story_gen.core.document import STORY, Field, Kind, Shape, parse_path
from story_gen.core.patch._model import DeleteOp, InsertOp, MoveOp, Operation, Patch, SetOp, TextOp

__all__ = ["describe"]

_SHORT = 60
_FREE_TEXT_LISTS = ("canon_rules", "voice_markers")


def _quote(value: JsonValue) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        text = " ".join(value.split())
        return f'"{text}"' if len(text) <= _SHORT else f'"{text[: _SHORT - 1]}…"'
    return str(value)


def _lines(count: int) -> str:
    return f"{count} line" if count == 1 else f"{count} lines"


def _field(shape: Shape, name: str) -> Field:
    found = shape.find(name)
    if found is None:
        raise ValueError(f"the patch names a field {name!r} that a story does not have")
    return found[0]


def _where(op: InsertOp | MoveOp) -> str:
    return f"after `{op.after}`" if op.after is not None else "at the start"


def _text(op: TextOp) -> str:
    added = sum(len(h.new) for h in op.hunks)
    removed = sum(len(h.old) for h in op.hunks)
    counts = [f"{_lines(added)} added"] if added else []
    if removed:
        counts.append(f"{removed} removed" if counts else f"{_lines(removed)} removed")
    return f"edited ({', '.join(counts) or 'whitespace only'})"


def _phrase(field: Field, key: str | None, op: Operation, *, named: bool) -> str:
    """The change ``op`` makes to ``field`` (of an entity, or of the story when not ``named``)."""
    noun = f"{field.noun} " if named else ""
    if isinstance(op, TextOp):
        return f"{noun}{_text(op)}"
    if field.kind is Kind.MAP:
        entry = key if isinstance(op, SetOp) else op.key
        if isinstance(op, SetOp):
            return f"{field.noun} with `{entry}` {_quote(op.old)} -> {_quote(op.new)}"
        if isinstance(op, InsertOp):
            return f"{field.noun} with `{entry}` added ({_quote(op.value)})"
        return f"{field.noun} with `{entry}` {'removed' if isinstance(op, DeleteOp) else 'moved'}"
    if isinstance(op, SetOp):
        return f"{noun}{_quote(op.old)} -> {_quote(op.new)}"
    element = _quote(op.key) if field.name in _FREE_TEXT_LISTS else f"`{op.key}`"
    if isinstance(op, InsertOp):
        return f"{noun}{element} added"
    return f"{noun}{element} {'removed' if isinstance(op, DeleteOp) else 'moved'}"


def _sentence_part(op: Operation) -> tuple[str, str]:
    """(what the sentence is about, what happened to it)."""
    steps = parse_path(op.path)
    top = _field(STORY, steps[0].name)
    if top.kind is Kind.ENTITIES and top.shape is not None:
        if steps[0].key is None:  # the list itself: an entity added, removed or moved
            assert isinstance(op, InsertOp | DeleteOp | MoveOp)
            if isinstance(op, DeleteOp):
                return f"{top.noun} `{op.key}`", "removed"
            if isinstance(op, InsertOp):
                return f"{top.noun} `{op.key}`", f"added {_where(op)}"
            return f"{top.noun} `{op.key}`", f"moved {_where(op) if op.after else 'to the start'}"
        inner = _field(top.shape, steps[1].name)
        return f"{top.noun} `{steps[0].key}`", _phrase(inner, steps[1].key, op, named=True)
    if top.kind is Kind.CONFLICTS:
        if isinstance(op, InsertOp):
            where = op.value.get("path") if isinstance(op.value, dict) else None
            return "conflicts", f"`{op.key}` recorded at {where}"
        key = op.key if isinstance(op, InsertOp | DeleteOp | MoveOp) else steps[0].key
        return "conflicts", f"`{key}` {'resolved' if isinstance(op, DeleteOp) else 'changed'}"
    subject = f"{top.noun}s" if top.kind is Kind.SET else top.noun
    return subject, _phrase(top, steps[0].key, op, named=False)


def describe(patch: Patch) -> list[str]:
    """One sentence per changed thing (chapter, theme, premise, ...), in the patch's order."""
    phrases: dict[str, list[str]] = {}
    for op in patch.ops:
        subject, phrase = _sentence_part(op)
        phrases.setdefault(subject, []).append(phrase)
    return [f"{subject}: {'; '.join(parts)}" for subject, parts in phrases.items()]
