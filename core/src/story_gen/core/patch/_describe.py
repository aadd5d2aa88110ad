"""``describe(patch)``: what a patch changes, in sentences a writer reads.

One sentence per thing changed, in the patch's order, each naming it first::

    chapter `mad-tea-party`: prerequisite `pig-and-pepper` removed; objective "..." -> "..."
    theme `identity`: priority 9 -> 7
    canon rules: "The Queen's sentences are never carried out." added

Long texts are shortened (the patch itself holds them in full).
"""

from __future__ import annotations

from pydantic import JsonValue

from story_gen.core.merging._paths import Step, parse_path
from story_gen.core.merging._shape import STORY, Field, Kind, Shape
from story_gen.core.patch._model import DeleteOp, InsertOp, MoveOp, Operation, Patch, SetOp, TextOp

__all__ = ["describe"]

_SHORT = 60


def _quote(value: JsonValue) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        text = " ".join(value.split())
        return f'"{text}"' if len(text) <= _SHORT else f'"{text[: _SHORT - 1]}…"'
    return str(value)


def _lines(count: int) -> str:
    return f"{count} line" if count == 1 else f"{count} lines"


def _field(shape: Shape, step: Step) -> Field:
    found = shape.find(step.name)
    if found is None:
        raise ValueError(f"the patch names a field {step.name!r} that a story does not have")
    return found[0]


def _element(field: Field, key: str) -> str:
    """How an element of a list is named: keys in backticks, free text in quotes."""
    if field.kind is Kind.SET and field.name in ("canon_rules", "voice_markers"):
        return _quote(key)
    return f"`{key}`"


def _subject_and_phrase(op: Operation) -> tuple[str, str]:
    steps = parse_path(op.path)
    field = _field(STORY, steps[0])
    if field.kind is Kind.ENTITIES and field.shape is not None:
        if steps[0].key is None:
            assert isinstance(op, InsertOp | DeleteOp | MoveOp)
            subject = f"{field.noun} `{op.key}`"
            return subject, _placement(op, "added", "removed", "moved")
        subject = f"{field.noun} `{steps[0].key}`"
        inner = _field(field.shape, steps[1])
        return subject, _change(inner, steps[1], op)
    if field.kind is Kind.CONFLICTS:
        if isinstance(op, InsertOp):
            where = op.value.get("path") if isinstance(op.value, dict) else None
            return "conflicts", f"`{op.key}` recorded at {where}"
        if isinstance(op, DeleteOp):
            return "conflicts", f"`{op.key}` resolved"
        return "conflicts", f"`{steps[0].key or getattr(op, 'key', '')}` changed"
    if field.kind is Kind.SET:
        return f"{field.noun}s", _change(field, steps[0], op)[len(field.noun) + 1 :]
    return field.noun, _change(field, steps[0], op)


def _placement(op: InsertOp | DeleteOp | MoveOp, added: str, removed: str, moved: str) -> str:
    if isinstance(op, DeleteOp):
        return removed
    where = f"after `{op.after}`" if op.after is not None else "at the start"
    if isinstance(op, InsertOp):
        return f"{added} {where}"
    return f"{moved} {where}" if op.after is not None else f"{moved} to the start"


def _change(field: Field, step: Step, op: Operation) -> str:
    if isinstance(op, TextOp):
        added = sum(len(h.new) for h in op.hunks)
        removed = sum(len(h.old) for h in op.hunks)
        counts = [f"{_lines(added)} added"] if added else []
        if removed:
            counts.append(f"{removed} removed" if counts else f"{_lines(removed)} removed")
        return f"{field.noun} edited ({', '.join(counts) or 'whitespace only'})"
    if isinstance(op, SetOp):
        if field.kind is Kind.MAP:
            return f"{field.noun} with `{step.key}` {_quote(op.old)} -> {_quote(op.new)}"
        if field.kind is Kind.SCALAR and step.key is None:
            return (
                f"{_quote(op.old)} -> {_quote(op.new)}"
                if field.noun
                in (
                    "premise",
                    "title",
                )
                else f"{field.noun} {_quote(op.old)} -> {_quote(op.new)}"
            )
        return f"{field.noun} changed"
    assert isinstance(op, InsertOp | DeleteOp | MoveOp)
    if field.kind is Kind.MAP:
        if isinstance(op, InsertOp):
            return f"{field.noun} with `{op.key}` added ({_quote(op.value)})"
        if isinstance(op, DeleteOp):
            return f"{field.noun} with `{op.key}` removed"
        return f"{field.noun} with `{op.key}` moved"
    name = f"{field.noun} {_element(field, op.key)}"
    if isinstance(op, InsertOp):
        return f"{name} added"
    if isinstance(op, DeleteOp):
        return f"{name} removed"
    return f"{name} moved"


def describe(patch: Patch) -> list[str]:
    """One sentence per changed thing (chapter, theme, premise, ...), in the patch's order."""
    phrases: dict[str, list[str]] = {}
    for op in patch.ops:
        subject, phrase = _subject_and_phrase(op)
        phrases.setdefault(subject, []).append(phrase)
    return [f"{subject}: {'; '.join(parts)}" for subject, parts in phrases.items()]
