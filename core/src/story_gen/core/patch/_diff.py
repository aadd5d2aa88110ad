"""``diff(a, b)``: the patch that turns ``a`` into ``b``, with what it expects of ``a``."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from story_gen.core.blueprint import StoryBlueprint
from story_gen.core.document import (
    Field,
    Kind,
    Shape,
    child,
    hunks,
    lines_of,
    placements,
    shape_of,
    to_json,
)
from story_gen.core.merging._document import same_record, same_value
from story_gen.core.patch._hashes import line_hash, text_hash
from story_gen.core.patch._model import (
    DeleteOp,
    InsertOp,
    MoveOp,
    Operation,
    Patch,
    SetOp,
    TextHunk,
    TextOp,
)
from story_gen.core.story import Story

__all__ = ["diff"]

DocT = TypeVar("DocT", Story, StoryBlueprint)


def diff(a: DocT, b: DocT) -> Patch:
    """The patch ``p`` with ``apply_patch(a, p) == b`` (same canonical bytes), addressed by key."""
    if type(a) is not type(b):
        raise TypeError(
            f"diff needs two Stories or two StoryBlueprints, got {type(a).__name__} "
            f"and {type(b).__name__}"
        )
    ops: list[Operation] = []
    _record(shape_of(a), a, b, "", ops)
    return Patch(ops=ops)


def _record(shape: Shape, a: BaseModel, b: BaseModel, path: str, ops: list[Operation]) -> None:
    if shape.flat and same_record(shape, a, b):
        return  # (a story or blueprint is compared field by field below, in one pass)
    for field in shape.fields:
        _field(field, getattr(a, field.name), getattr(b, field.name), path, ops)


def _field(field: Field, a: Any, b: Any, path: str, ops: list[Operation]) -> None:
    if field.kind is not Kind.ENTITIES and same_value(field, a, b):
        return
    if field.kind is Kind.INLINE:
        assert field.shape is not None
        _record(field.shape, a, b, path, ops)
        return
    here = child(path, field.name)
    if field.kind is Kind.SCALAR:
        ops.append(SetOp(op="set", path=here, old=to_json(a), new=to_json(b)))
    elif field.kind is Kind.TEXT:
        ops.append(_text(here, a, b))
    elif field.kind is Kind.SET:
        _items(here, list(a), list(b), {}, {}, ops)
    elif field.kind is Kind.MAP:
        for key in b:
            if key in a and a[key] != b[key]:
                ops.append(SetOp(op="set", path=f"{here}[{key}]", old=a[key], new=b[key]))
        _items(here, list(a), list(b), a, b, ops)
    elif field.kind is Kind.CONFLICTS:
        old = {c.conflict_id: c for c in a}
        new = {c.conflict_id: c for c in b}
        for key in new:
            if key in old and old[key] != new[key]:
                ops.append(
                    SetOp(
                        op="set",
                        path=f"{here}[{key}]",
                        old=to_json(old[key]),
                        new=to_json(new[key]),
                    )
                )
        _items(here, list(old), list(new), old, new, ops)
    else:
        assert field.shape is not None
        old = {e.key: e for e in a}
        new = {e.key: e for e in b}
        for key, entity in new.items():
            if key in old:
                _record(field.shape, old[key], entity, f"{here}[{key}]", ops)
        _items(here, list(old), list(new), old, new, ops)
    # Sets within the field come before its removals and placements: every path they
    # name exists both before and after, so their order does not matter to apply.


def _items(
    path: str,
    a: list[str],
    b: list[str],
    old: dict[str, Any],
    new: dict[str, Any],
    ops: list[Operation],
) -> None:
    if a == b:
        return
    change = placements(a, b)
    for key, after in change.removed:
        ops.append(
            DeleteOp(
                op="del", path=path, key=key, after=after, old=to_json(old[key]) if old else None
            )
        )
    for key, after, is_new, was in change.placed:
        if is_new:
            value = to_json(new[key]) if new else None
            ops.append(InsertOp(op="ins", path=path, key=key, after=after, value=value))
        else:
            ops.append(MoveOp(op="mv", path=path, key=key, after=after, was=was))


def _text(path: str, a: str | None, b: str | None) -> TextOp:
    old, new = lines_of(a), lines_of(b)
    changes = []
    for hunk in hunks(old, new):
        before = line_hash(old[hunk.start - 1]) if hunk.start > 0 else ""
        after = line_hash(old[hunk.end]) if hunk.end < len(old) else ""
        changes.append(
            TextHunk(
                at=hunk.start, old=old[hunk.start : hunk.end], new=hunk.lines, ctx=(before, after)
            )
        )
    return TextOp(op="text", path=path, base=text_hash(a), hunks=changes)
