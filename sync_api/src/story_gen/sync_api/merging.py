"""Server-side merges of stale pushes, through the core's ``merge`` and ``rebase``.

Naming follows the core: the server's head is "ours", the pushed change is "theirs". The core
never loses either side: where both changed the same thing the merged story holds a
provisional value and a :class:`~story_gen.core.Conflict` keeps both, stored with the story.
"""

from __future__ import annotations

from datetime import datetime

from story_gen.core import MergeResult, Patch, Story, apply_patch, merge, rebase

__all__ = ["Merged", "apply_onto_head", "merge_onto_head", "stamped"]

Merged = MergeResult[Story]


def merge_onto_head(*, base: Story, client: Story, head: Story) -> Merged:
    """Three-way merge of a full document made on ``base`` into ``head``."""
    return merge(base, head, client)


def apply_onto_head(*, head: Story, patch: Patch, exact: bool) -> Merged:
    """Apply a patch: exactly when it was made on ``head`` (``exact``), else by rebase."""
    if exact:
        return MergeResult[Story](merged=apply_patch(head, patch))
    return rebase(head, patch)


def stamped(result: Merged, now: datetime) -> Story:
    return result.merged.model_copy(update={"updated_at_utc": now})
