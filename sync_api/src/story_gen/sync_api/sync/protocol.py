"""Wire models of sync protocol v1."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from story_gen.core import Conflict, Patch
from story_gen.core.diagnostic import Diagnostic
from story_gen.sync_api.schemas import RawBlueprint, StoryPublic, Title, lone_surrogate_at

__all__ = [
    "ChangeCreate",
    "ChangeResultPublic",
    "PullPublic",
    "PulledStoryPublic",
    "PushCreate",
    "PushPublic",
]


class ChangeCreate(BaseModel):
    """One change to one story, as the client made it."""

    model_config = ConfigDict(extra="forbid")

    change_id: uuid.UUID = Field(
        description="Client-generated; pushing the same change_id again returns the first result."
    )
    story_id: uuid.UUID = Field(description="Client-generated for new stories.")
    base_revision: int = Field(
        ge=0, description="Server revision the change was made on; 0 for a story new to the server."
    )
    op: Literal["put", "delete", "undelete"] = "put"
    title: Title | None = Field(default=None, description="Required when creating.")
    blueprint: RawBlueprint | None = Field(
        default=None,
        description="The full blueprint after the change (op=put); or send `patch`.",
    )
    patch: Patch | None = Field(
        default=None,
        description="The core's patch from revision `base_revision`'s story to the edited "
        "one (op=put on an existing story); the small alternative to `blueprint`.",
    )
    conflicts: list[Conflict] = Field(
        default_factory=list,
        description="Conflicts still unresolved in the client's copy (resolving = dropping one).",
    )

    @field_validator("patch", "conflicts")
    @classmethod
    def _text_is_unicode(cls, value: Patch | list[Conflict] | None) -> object:
        where = lone_surrogate_at(value)
        if where is not None:
            raise ValueError(
                f"{where} holds a lone UTF-16 surrogate escape (\\ud800-\\udfff), which is "
                "not text; send valid Unicode"
            )
        return value


class PushCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    protocol: Literal[1] = 1
    changes: list[ChangeCreate] = Field(min_length=1)


class ChangeResultPublic(BaseModel):
    change_id: uuid.UUID
    story_id: uuid.UUID
    status: Literal["applied", "merged", "rejected"]
    revision: int | None = Field(default=None, description="The head after this change.")
    updated_at_utc: datetime | None = None
    deleted: bool = False
    conflicts: list[Conflict] = Field(
        default_factory=list, description="Conflicts this merge created (status=merged)."
    )
    diagnostics: list[Diagnostic] = Field(
        default_factory=list, description="Why the change was rejected (status=rejected)."
    )
    story: StoryPublic | None = Field(
        default=None, description="The merged document (status=merged); replace your copy."
    )


class PushPublic(BaseModel):
    protocol: Literal[1] = 1
    results: list[ChangeResultPublic]


class PulledStoryPublic(BaseModel):
    story_id: uuid.UUID
    revision: int
    deleted: bool
    story: StoryPublic | None = Field(default=None, description="Absent for deleted stories.")


class PullPublic(BaseModel):
    protocol: Literal[1] = 1
    changes: list[PulledStoryPublic]
    cursor: str = Field(description="Send it back as `cursor` to get what changed after this page.")
    has_more: bool
