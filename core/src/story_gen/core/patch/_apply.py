"""``apply_patch(document, patch)``: apply a patch exactly, or refuse and say why.

Two phases: every operation's expectation (``old``, ``was``, the draft's ``base``
hash, "this key is absent / present") is checked against the document as it is,
then the operations run in order. A patch whose expectations do not hold raises
:class:`PatchDoesNotApplyError` and changes nothing; :func:`rebase` is the function
that merges such a patch instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from story_gen.core.blueprint import StoryBlueprint
from story_gen.core.document import MISSING, DocumentEdit, EditError, Kind, lines_of, text_of
from story_gen.core.patch._hashes import text_hash
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

__all__ = ["PatchDoesNotApplyError", "apply_hunks", "apply_patch", "problems", "replay", "run"]

DocT = TypeVar("DocT", Story, StoryBlueprint)


class PatchDoesNotApplyError(ValueError):
    """The document is not the one the patch was made on; ``problems`` says where."""

    def __init__(self, problems: list[str]) -> None:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(
            f"the patch does not apply: {problems[0]}{more}; "
            "merge it with rebase(current, patch) instead"
        )
        self.problems = problems


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def problems(document: Story | StoryBlueprint, patch: Patch) -> list[str]:
    """Where ``document`` differs from what ``patch`` expects; empty when it applies exactly."""
    edit = DocumentEdit(document)
    found: list[str] = []
    arrived: dict[str, set[str]] = {}
    for op in patch.ops:
        try:
            problem = _problem(edit, op, arrived)
        except EditError as error:
            problem = str(error)
        if problem:
            found.append(problem)
    return found


def _problem(edit: DocumentEdit, op: Operation, arrived: dict[str, set[str]]) -> str | None:
    if isinstance(op, SetOp):
        current = edit.get(op.path)
        if current is MISSING:
            return f"{op.path} does not exist"
        if current != op.old:
            return f"{op.path} is {_show(current)}, the patch expects {_show(op.old)}"
        return None
    if isinstance(op, TextOp):
        current = edit.get(op.path)
        if current is MISSING:
            return f"{op.path} does not exist"
        if text_hash(current if isinstance(current, str) else None) != op.base:
            return f"{op.path} is not the draft the patch was made on"
        return None
    items = edit.items(op.path)
    here = f"{op.path}[{op.key}]"
    if isinstance(op, DeleteOp):
        if op.key not in items:
            return f"{here} is already gone"
        if items.field.kind is not Kind.SET and items.value(op.key) != op.old:
            return f"{here} changed since the patch was made"
        return None
    known = arrived.setdefault(op.path, set())
    if isinstance(op, InsertOp) and op.key in items:
        return f"{here} already exists"
    if isinstance(op, MoveOp):
        if op.key not in items:
            return f"{here} does not exist"
        if items.before(op.key) != op.was:
            return f"{here} is no longer right after {_show(op.was)}"
    known.add(op.key)
    if op.after is not None and op.after not in items and op.after not in known:
        return f"{op.path}[{op.after}] (where {op.key} goes) does not exist"
    return None


def apply_hunks(lines: list[str], hunks: Sequence[TextHunk]) -> list[str]:
    out: list[str] = []
    position = 0
    for hunk in hunks:
        out += lines[position : hunk.at]
        out += hunk.new
        position = hunk.at + len(hunk.old)
    out += lines[position:]
    return out


def run(edit: DocumentEdit, ops: Sequence[Operation], texts: Mapping[int, str | None]) -> None:
    """Carry out ``ops`` without checking expectations (``texts``: drafts decided elsewhere)."""
    for index, op in enumerate(ops):
        if isinstance(op, SetOp):
            edit.set(op.path, op.new)
        elif isinstance(op, TextOp):
            if index in texts:
                edit.set(op.path, texts[index])
            else:
                current = edit.get(op.path)
                lines = lines_of(current if isinstance(current, str) else None)
                edit.set(op.path, text_of(apply_hunks(lines, op.hunks)))
        else:
            items = edit.items(op.path)
            if isinstance(op, DeleteOp):
                items.remove(op.key)
            elif isinstance(op, InsertOp):
                items.remove(op.key)
                items.put(op.key, op.value, after=op.after)
            elif op.key in items:
                items.move(op.key, op.after)


def apply_patch(document: DocT, patch: Patch) -> DocT:
    """``document`` with ``patch`` applied; raises :class:`PatchDoesNotApplyError` (and changes
    nothing) when the document is not what the patch expects."""
    found = problems(document, patch)
    if found:
        raise PatchDoesNotApplyError(found)
    edit = DocumentEdit(document)
    try:
        run(edit, patch.ops, {})
        result = edit.build()
    except EditError as error:
        raise PatchDoesNotApplyError([str(error)]) from None
    assert isinstance(result, type(document))
    return result


def replay(document: DocT, patches: Sequence[Patch]) -> DocT:
    """``document`` with ``patches`` applied in order, in one pass: one build at the end and no
    expectation checks, so a chain of small patches costs about one patch.

    For patches known to follow each other exactly, such as a stored revision history (the
    sync API checks the result against the revision's content hash). Anything else goes
    through :func:`apply_patch`, which says why a patch does not apply."""
    edit = DocumentEdit(document)
    try:
        for patch in patches:
            run(edit, patch.ops, {})
        result = edit.build()
    except EditError as error:
        raise PatchDoesNotApplyError([str(error)]) from None
    assert isinstance(result, type(document))
    return result
