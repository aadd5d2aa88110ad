"""What a device keeps between syncs (saved as JSON: a file for the CLI, IndexedDB in the studio).

Per story: the server's copy it last saw (``shadow`` at ``revision``), the writer's copy
(``local``), the copy ``local`` was derived from (``base``, the merge base when the server's
copy moves on), and at most one change in flight (``pending``, frozen once made: a retry must
send the very same change under the same ``change_id``).
"""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field

from story_gen.client.models import PulledStory, WireChange
from story_gen.core import Story

__all__ = ["Pending", "SyncState", "Tracked"]


class _State(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Pending(_State):
    change: WireChange
    target: Story | None = Field(description="The story the change makes; None for a delete.")


class Tracked(_State):
    story_id: uuid.UUID
    revision: int = Field(default=0, description="The server revision `shadow` is; 0: not there.")
    shadow: Story | None = None
    local: Story | None = Field(default=None, description="None: deleted on this device.")
    base: Story | None = None
    server_deleted: bool = False
    pending: Pending | None = None
    deferred: PulledStory | None = Field(
        default=None, description="A pulled revision that waits until `pending` is answered."
    )
    deferred_story: Story | None = Field(
        default=None,
        description="The document of `deferred` when it came as patches (applied on arrival, "
        "to the copy they were made from).",
    )
    awaiting_revision: int | None = Field(
        default=None, description="Our change landed as this revision; pull before pushing more."
    )
    rejected: Story | None = Field(
        default=None, description="The local copy the server refused; not sent again unchanged."
    )


class SyncState(_State):
    cursor: str | None = None
    stories: dict[uuid.UUID, Tracked] = Field(default_factory=dict)
    whole: set[uuid.UUID] = Field(
        default_factory=set,
        description="Stories whose pulled patches did not give the server's document: pulled "
        "whole next time (left out of `held_revisions`).",
    )
