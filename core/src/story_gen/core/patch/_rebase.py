"""``rebase(current, patch)``: apply a patch made on an older version, by three-way merge.

The sync server receives patches made on revisions it has since moved past. It never
overwrites: it rebuilds the patch's view of its base from the current document and
the patch's expectations (the ``base view``: the current document with every
operation's ``old`` / ``was`` / removed entity put back), applies the patch to that
view, and merges: ``merge(base_view, current, patched)``. Where the current document
still holds what the patch expects, the base view equals it and the result is exactly
``apply_patch``; where it moved on, the merge keeps both sides' work and records a
conflict where they collide.

Drafts: a hunk is found again in the current draft by its old lines and its context
hashes, nearest to where the edits before it put it. A passage the current draft no
longer has is put back into the base view at that place, so the merge sees "the
current side rewrote it, the patch rewrote it": a text conflict holding both.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import Any, TypeVar

from story_gen.core.blueprint import StoryBlueprint
from story_gen.core.merging import MergeResult, merge
from story_gen.core.merging._edit import MISSING, DocumentEdit, EditError, ItemsEdit
from story_gen.core.merging._shape import Kind
from story_gen.core.merging._text import lines_of, text_of
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
    candidates = range(start, len(lines) - len(hunk.old) + 1)
    for with_context in (True, False):
        if not with_context and not hunk.old:
            return None  # an insertion without its context has nothing left to recognise
        found = [at for at in candidates if _matches(lines, at, hunk, with_context=with_context)]
        if found:
            return min(found, key=lambda at: (abs(at - expected), at))
    return None


def _region(lines: list[str], hunk: TextHunk, start: int) -> tuple[int, int] | None:
    """Where the current draft holds a rewritten version of the hunk's old lines: from the
    first to the last of them it still has (the other side edited in between)."""
    if not hunk.old:
        return None
    matcher = SequenceMatcher(None, hunk.old, lines[start:], autojunk=False)
    blocks = [block for block in matcher.get_matching_blocks() if block.size]
    if not blocks:
        return None
    return start + blocks[0].b, start + blocks[-1].b + blocks[-1].size


def _relocate(lines: list[str], hunks: Sequence[TextHunk]) -> tuple[list[str], list[str]]:
    """The patch's base draft and patched draft, rebuilt around the current draft ``lines``.

    Each hunk's passage is found in ``lines`` exactly (by its old lines and context), or
    as the stretch between the first and the last old line still there, or not at all
    (then it is put back where the edits before it suggest). The base draft is ``lines``
    with that passage replaced by the hunk's old lines, the patched draft has its new ones.
    """
    base: list[str] = []
    position = 0
    shift = 0
    placed: list[TextHunk] = []
    for hunk in hunks:
        expected = hunk.at + shift
        at = _find(lines, hunk, position, expected)
        if at is not None:
            end = at + len(hunk.old)
        else:
            region = _region(lines, hunk, position)
            if region is None:
                at = end = min(max(expected, position), len(lines))
            else:
                at, end = region
        base += lines[position:at]
        position = end
        placed.append(TextHunk(at=len(base), old=hunk.old, new=hunk.new, ctx=hunk.ctx))
        base += hunk.old
        shift = at - hunk.at
    base += lines[position:]
    return base, apply_hunks(base, placed)
