"""What the service tells the UI about a story: the shapes shared by several handlers and pushes."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from story_gen.browser._records import ProblemCounts
from story_gen.core import Diagnostic, Story

__all__ = ["HistoryState", "StoryState"]


class View(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class HistoryState(View):
    """Undo/redo for this story (kept in IndexedDB, so it survives a reload)."""

    can_undo: bool
    can_redo: bool
    undo_label: str | None = Field(
        description="What undo would revert, in story terms: \"draft of 'The Storm'\"."
    )
    redo_label: str | None


class StoryState(View):
    """A story as this tab's service holds it, with its diagnostics.

    ``saved`` is false while an accepted edit is kept in memory because storage failed
    (``unsaved_reason`` says why); the next save retries it. ``merged`` is true when this
    state merged another tab's changes (the UI should take ``story`` as the new truth).
    """

    story_id: UUID
    revision: int = Field(description="The stored revision this state is on (0: never stored).")
    story: Story | None = Field(
        description="The story as this tab holds it. Null only in a story.apply_edit reply "
        "with include_story false and merged false: the UI's own copy plus its edit is current."
    )
    diagnostics: list[Diagnostic] | None = Field(
        description="Every diagnostic of the story. Null only in a story.apply_edit reply that "
        "asked for story.diagnosed (diagnosed_push_tag) and did not merge: that push carried "
        "this edit's diagnostics already, and a big story's list is the bulk of the reply."
    )
    diagnostics_version: int = Field(
        description="The version of the story's diagnostics (increasing): what a later "
        "story.diagnosed delta's base refers to."
    )
    problem_counts: ProblemCounts
    history: HistoryState
    saved: bool
    unsaved_reason: str | None = None
    merged: bool = False
    deleted_at_utc: AwareDatetime | None = None


def utc(text: str) -> datetime:
    """Parse the host's ISO timestamp (``...Z``) into an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
