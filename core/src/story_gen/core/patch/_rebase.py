"""``rebase(current, patch)``: apply a patch made on an older version, by three-way merge.

The sync server receives patches made on revisions it has since moved past. It never
overwrites: it rebuilds the patch's view of its base from the current document and
the patch's expectations (the ``base view``: the current document with every
operation's ``old`` / ``was`` / removed entity put back), applies the patch to that
view, and merges: ``merge(base_view, current, patched)``. Where the current document
still holds what the patch expects, the base view equals it and the result is exactly
``apply_patch``; where it moved on, the merge keeps both sides' work and records a
conflict where they collide.

Drafts: a hunk is found again in the current draft by its old lines (and its context
hashes), nearest to where the edits before it put it. If every hunk is found intact, the
current draft changed only elsewhere and the hunks apply there. If one is not, the base
is not rebuilt by guesswork: the merge is made to see both sides rewrite the passage, so
the result is a text conflict holding the current draft and the patch's version of it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, TypeVar

from story_gen.core.blueprint import StoryBlueprint
from story_gen.core.document import (
    MISSING,
    DocumentEdit,
    EditError,
    ItemsEdit,
    Kind,
    lines_of,
    text_of,
)
from story_gen.core.merging import MergeResult, merge
from story_gen.core.patch._apply import PatchDoesNotApplyError, apply_hunks, run
from story_gen.core.patch._hashes import line_hash, text_hash
from story_gen.core.patch._model import DeleteOp, InsertOp, MoveOp, Patch, SetOp, TextHunk, TextOp
from story_gen.core.story import Story

__all__ = ["rebase"]

DocT = TypeVar("DocT", Story, StoryBlueprint)


def rebase(current: DocT, patch: Patch) -> MergeResult[DocT]:
    """Merge ``patch`` (made on some earlier version) into ``current``; never an overwrite.

    When ``current`` is the version the patch was made on, the result is
    ``apply_patch(current, patch)`` with no conflicts. A patch that names what no story
    has (or holds a value the contract refuses) raises :class:`PatchDoesNotApplyError`.
    """
    try:
        base_view, texts = _base_view(current, patch)
        edit = DocumentEdit(base_view)
        run(edit, patch.ops, texts)
        patched = edit.build()
    except EditError as error:
        # A path no story has, or a value the contract refuses: nothing to merge.
        raise PatchDoesNotApplyError([str(error)]) from None
    assert isinstance(patched, type(current))
    return merge(base_view, current, patched)


def _stub(items: ItemsEdit, key: str) -> Any:
    """A stand-in for an element the patch moves but does not carry (the current side deleted it)."""
    return (
        {"key": key}
        if items.field.kind is Kind.ENTITIES
        else ("" if items.field.kind is Kind.MAP else key)
    )


def _base_view(current: DocT, patch: Patch) -> tuple[DocT, dict[int, str | None]]:
    edit = DocumentEdit(current)
    texts: dict[int, str | None] = {}
    for index, op in enumerate(patch.ops):
        if isinstance(op, SetOp):
            if edit.get(op.path) != op.old:
                edit.set(op.path, op.old, create=True)
        elif isinstance(op, TextOp):
            value = edit.get(op.path)
            if value is MISSING:
                edit.set(op.path, None, create=True)
                value = None
            draft = value if isinstance(value, str) else None
            if text_hash(draft) == op.base:
                continue
            base_lines, patched_lines = _relocate(lines_of(draft), op.hunks)
            edit.set(op.path, text_of(base_lines))
            texts[index] = text_of(patched_lines)
        else:
            record, field, _ = edit.locate(op.path, create=True)
            items = record.items(field)
            if isinstance(op, InsertOp):
                items.remove(op.key)
            elif isinstance(op, DeleteOp):
                restored = op.old if items.field.kind is not Kind.SET else op.key
                if op.key not in items:
                    items.put(op.key, restored, after=op.after)
                elif items.field.kind is not Kind.SET and items.value(op.key) != op.old:
                    items.put(op.key, restored)
            elif isinstance(op, MoveOp) and items.field.kind is not Kind.CONFLICTS:
                if op.key not in items:
                    items.put(op.key, _stub(items, op.key), after=op.was)
                elif items.before(op.key) != op.was:
                    items.move(op.key, op.was)
    base_view = edit.build()
    assert isinstance(base_view, type(current))
    return base_view, texts


def _matches(lines: list[str], at: int, hunk: TextHunk, *, with_context: bool) -> bool:
    end = at + len(hunk.old)
    if lines[at:end] != hunk.old:
        return False
    if not with_context:
        return True
    before, after = hunk.ctx
    before_ok = (at == 0) if not before else at > 0 and line_hash(lines[at - 1]) == before
    after_ok = (
        (end == len(lines)) if not after else end < len(lines) and line_hash(lines[end]) == after
    )
    return before_ok and after_ok


def _find(lines: list[str], hunk: TextHunk, start: int, expected: int) -> int | None:
    """Where the hunk's old lines stand intact at or after ``start``, nearest to ``expected``."""
    candidates = range(start, len(lines) - len(hunk.old) + 1)
    for with_context in (True, False):
        if not with_context and not hunk.old:
            return None  # an insertion without its context has nothing left to recognise
        found = [at for at in candidates if _matches(lines, at, hunk, with_context=with_context)]
        if found:
            return min(found, key=lambda at: (abs(at - expected), at))
    return None


def _locate(lines: list[str], hunks: Sequence[TextHunk]) -> list[int] | None:
    """Each hunk's position in ``lines``, in order and without overlap; None if one is lost."""
    found: list[int] = []
    position = 0
    shift = 0
    for hunk in hunks:
        at = _find(lines, hunk, position, hunk.at + shift)
        if at is None:
            return None
        found.append(at)
        position = at + len(hunk.old)
        shift = at - hunk.at
    return found


def _best_effort(lines: list[str], hunks: Sequence[TextHunk]) -> list[str]:
    """The current draft with each hunk's intent carried out as far as its lines allow:
    the lines it removed are removed (the occurrence nearest to where it worked), the
    lines it added are inserted there."""
    out = list(lines)
    for hunk in hunks:
        present = [i for i, line in enumerate(out) if line in hunk.old]
        at = present[0] if present else min(hunk.at, len(out))
        for line, count in (Counter(hunk.old) - Counter(hunk.new)).items():
            for _ in range(count):
                places = [i for i, other in enumerate(out) if other == line]
                if not places:
                    break
                gone = min(places, key=lambda i: (abs(i - at), i))
                del out[gone]
                at -= 1 if gone < at else 0
        added = list((Counter(hunk.new) - Counter(hunk.old)).elements())
        out[at:at] = [line for line in hunk.new if line in added]
    return out


def _relocate(lines: list[str], hunks: Sequence[TextHunk]) -> tuple[list[str], list[str]]:
    """The patch's base draft and patched draft, rebuilt around the current draft ``lines``.

    When every hunk's old lines still stand intact, in order, the current draft changed
    only elsewhere: it is the base, and the hunks apply where they were found. Otherwise
    the base cannot be rebuilt with confidence, and a wrong guess could let a change slip
    through silently; so the base is taken to be just the hunks' old lines, which makes
    the merge see both sides rewrite the whole passage: a text conflict between the
    current draft and the current draft with the patch's intent carried out.
    """
    found = _locate(lines, hunks)
    if found is not None:
        placed = [
            TextHunk(at=at, old=hunk.old, new=hunk.new, ctx=hunk.ctx)
            for at, hunk in zip(found, hunks, strict=True)
        ]
        return lines, apply_hunks(lines, placed)
    return [line for hunk in hunks for line in hunk.old], _best_effort(lines, hunks)
