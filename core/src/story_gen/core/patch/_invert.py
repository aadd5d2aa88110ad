"""``invert(document, patch)``: the patch that takes the patched document back.

Undo keeps each step as a patch and its inverse (docs/adr/0091-undo-history-as-patches-in-indexeddb.md).
The inverse is the diff of the result back to the document: ``diff`` already guarantees
``apply_patch(after, diff(after, before)) == before`` byte for byte, carries every
expectation (``old``, ``was``, the draft's ``base`` hash) that lets a later undo tell that
the story moved on, and skips untouched entities by identity, so on a 1,000-chapter story
the cost follows what the patch changed. Reversing the operations one by one could not
rebuild a draft's ``base`` hash without the patched draft anyway.
"""

from __future__ import annotations

from typing import TypeVar

from story_gen.core.blueprint import StoryBlueprint
from story_gen.core.patch._apply import apply_patch
from story_gen.core.patch._diff import diff
from story_gen.core.patch._model import Patch
from story_gen.core.story import Story

__all__ = ["invert"]

DocT = TypeVar("DocT", Story, StoryBlueprint)


def invert(document: DocT, patch: Patch, *, after: DocT | None = None) -> Patch:
    """The patch ``q`` with ``apply_patch(apply_patch(document, patch), q) == document``.

    ``after``: ``apply_patch(document, patch)`` when the caller has it already (an edit
    returns it), so the patch is not applied twice. Raises
    :class:`~story_gen.core.patch.PatchDoesNotApplyError` when ``patch`` does not apply to
    ``document``.
    """
    result = apply_patch(document, patch) if after is None else after
    return diff(result, document)
