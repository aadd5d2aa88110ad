"""``merge(base, ours, theirs)``: the three-way merge of two Stories or two blueprints."""

from __future__ import annotations

from typing import Generic, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field

from story_gen.core.blueprint import StoryBlueprint
from story_gen.core.conflicts import Conflict
from story_gen.core.diagnostic import Diagnostic
from story_gen.core.document import shape_of
from story_gen.core.merging._document import DocumentMerger, merge_conflict_lists
from story_gen.core.merging._introduced import introduced
from story_gen.core.story import Story

__all__ = ["MergeResult", "StoryMismatchError", "merge"]

DocT = TypeVar("DocT", Story, StoryBlueprint)


class StoryMismatchError(ValueError):
    """The documents given to merge are not versions of the same story."""


class MergeResult(BaseModel, Generic[DocT]):
    """What a merge produced: a loadable document, the conflicts it raised, the errors it made."""

    model_config = ConfigDict(frozen=True)

    merged: DocT
    """Always a valid document; where the sides conflict it holds the provisional value.
    A merged Story also carries every unresolved conflict (old and new) in ``conflicts``."""
    conflicts: list[Conflict] = Field(default_factory=list)
    """The conflicts this merge raised (a Story carries them in ``merged.conflicts`` too)."""
    introduced: list[Diagnostic] = Field(default_factory=list)
    """Errors of the merged blueprint that neither side had (a prerequisite cycle made of
    both sides' additions, a reference to an entity the other side deleted)."""

    @property
    def clean(self) -> bool:
        return not self.conflicts and not self.introduced


def merge(base: DocT, ours: DocT, theirs: DocT) -> MergeResult[DocT]:
    """Merge ``ours`` and ``theirs``, two edits of ``base``; never loses either side's edits.

    Symmetric: ``merge(b, x, y)`` and ``merge(b, y, x)`` hold the same document and the
    same conflicts, each conflict with its ``ours`` / ``theirs`` swapped.
    """
    merged, raised = _merge(base, ours, theirs)
    return MergeResult(
        merged=cast(DocT, merged), conflicts=raised, introduced=introduced(merged, ours, theirs)
    )


Document = Story | StoryBlueprint


def _merge(base: Document, ours: Document, theirs: Document) -> tuple[Document, list[Conflict]]:
    shape = shape_of(ours)
    if not (type(base) is type(ours) is type(theirs)):
        names = ", ".join(type(d).__name__ for d in (base, ours, theirs))
        raise TypeError(f"merge needs three Stories or three StoryBlueprints, got {names}")
    merger = DocumentMerger(shape)
    if not (isinstance(base, Story) and isinstance(ours, Story) and isinstance(theirs, Story)):
        merged: Document = merger.record(shape, base, ours, theirs, "")
        return merged, sorted(merger.conflicts, key=lambda c: (c.path, c.conflict_id))
    ids = {base.story_id, ours.story_id, theirs.story_id}
    if len(ids) > 1:
        raise StoryMismatchError(
            "these are not versions of one story (story ids "
            f"{', '.join(sorted(str(i) for i in ids))}); merge versions of the same story"
        )
    story: Story = merger.record(shape, base, ours, theirs, "")
    carried = merge_conflict_lists(base.conflicts, ours.conflicts, theirs.conflicts)
    known = {c.conflict_id for c in carried}
    raised = sorted(merger.conflicts, key=lambda c: (c.path, c.conflict_id))
    raised = [c for c in raised if c.conflict_id not in known]
    conflicts = [*carried, *raised]
    if conflicts != story.conflicts:
        story = Story.model_validate({**story.__dict__, "conflicts": conflicts})
    return story, raised
