"""The client's view of the wire: what the sync API answers, typed with the core's models.

Answers are read leniently (``extra="ignore"``): a server that grows a field never breaks a
released client. What the client sends is built from the same models.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from story_gen.core import Conflict, Diagnostic, Patch, Story, StoryBlueprint

__all__ = [
    "ChangeResult",
    "PullAnswer",
    "PulledStory",
    "PushAnswer",
    "RevisionInfo",
    "StoryRecord",
    "Token",
    "User",
    "WireChange",
]


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class User(_Answer):
    user_id: uuid.UUID
    email: str
    display_name: str
    created_at_utc: datetime


class Token(_Answer):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at_utc: datetime


class StoryRecord(_Answer):
    """A story as the story API answers it (the v1 fields), with ``revision`` from its header
    and ``conflicts`` / ``deleted_at_utc`` when the full representation was asked for."""

    story_id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    blueprint: StoryBlueprint
    created_at_utc: datetime
    updated_at_utc: datetime
    revision: int = 0
    conflicts: list[Conflict] = Field(default_factory=list)
    deleted_at_utc: datetime | None = None

    def to_story(self) -> Story:
        """The core's ``Story`` (what the sync engine and the merge work on)."""
        return Story(
            story_id=self.story_id,
            title=self.title,
            blueprint=self.blueprint,
            created_at_utc=self.created_at_utc,
            updated_at_utc=self.updated_at_utc,
            conflicts=list(self.conflicts),
        )


class RevisionInfo(_Answer):
    revision: int
    created_at_utc: datetime
    origin: str
    change_id: uuid.UUID | None = None
    byte_size: int
    sha256: str
    device: str | None = None
    """The device that pushed it, when it said (ADR 0109)."""


class WireChange(BaseModel):
    """One change of a push, as sent (sync protocol v1)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    change_id: uuid.UUID
    story_id: uuid.UUID
    base_revision: int = Field(ge=0)
    op: Literal["put", "delete", "undelete"] = "put"
    title: str | None = None
    blueprint: StoryBlueprint | None = None
    patch: Patch | None = None
    conflicts: list[Conflict] = Field(default_factory=list)


class ChangeResult(_Answer):
    change_id: uuid.UUID
    story_id: uuid.UUID
    status: Literal["applied", "merged", "rejected"]
    revision: int | None = None
    updated_at_utc: datetime | None = None
    deleted: bool = False
    conflicts: list[Conflict] = Field(default_factory=list)
    diagnostics: list[Diagnostic] = Field(default_factory=list)
    story: StoryRecord | None = None


class PushAnswer(_Answer):
    protocol: Literal[1] = 1
    results: list[ChangeResult]


class PulledStory(_Answer):
    """One changed story of a pull: whole (``story``), deleted, or, when the pull said which
    revision the device holds, the core's ``patches`` from ``patch_from`` to ``revision``
    with the head's ``sha256`` to check the result against."""

    story_id: uuid.UUID
    revision: int
    deleted: bool
    story: StoryRecord | None = None
    patch_from: int | None = None
    patches: list[Patch] | None = None
    sha256: str | None = None

    @property
    def removed(self) -> bool:
        """Deleted on the server (a patched story is not: it only has no ``story``)."""
        return self.deleted or (self.story is None and self.patches is None)


class PullAnswer(_Answer):
    protocol: Literal[1] = 1
    changes: list[PulledStory]
    cursor: str
    has_more: bool
