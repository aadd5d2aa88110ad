"""Wire models of sync protocol v1."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from story_gen.core import Conflict, Patch
from story_gen.core.diagnostic import Diagnostic
from story_gen.sync_api.models import DEVICE_MAX_LENGTH, DEVICE_PATTERN
from story_gen.sync_api.schemas import RawBlueprint, StoryPublic, Title, lone_surrogate_at

__all__ = [
    "CURSOR_PATTERN",
    "ChangeCreate",
    "ChangeResultPublic",
    "PullCreate",
    "PullPatchesPublic",
    "PullPublic",
    "PulledPatchesPublic",
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
    device: str | None = Field(
        default=None,
        min_length=1,
        max_length=DEVICE_MAX_LENGTH,
        pattern=DEVICE_PATTERN,
        description='The pushing device\'s name for the history ("Firefox on Linux", a host '
        "name), kept with each revision this push makes. Optional (ADR 0109).",
    )


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


CURSOR_PATTERN = r"^v1\.(0|[1-9][0-9]{0,17})$"
"""What this server's cursors look like; documented in the OpenAPI schema too."""

MAX_HELD = 10_000
"""Most stories a pull may name in ``have`` (the accounts' stories are far fewer)."""


class PullCreate(BaseModel):
    """A pull that says which revision of each story the device holds (``POST``), so a story
    changed since comes as the core's patches from that revision (ADR 0113)."""

    model_config = ConfigDict(extra="forbid")

    protocol: Literal[1] = 1
    cursor: str | None = Field(
        default=None,
        max_length=64,
        description="`cursor` of the previous pull; none at first.",
        # Documented, not enforced here: decode_cursor answers with a clearer 422.
        json_schema_extra={"pattern": CURSOR_PATTERN},
    )
    limit: int = Field(default=50, ge=1, le=1000, description="Most stories per page.")
    have: dict[uuid.UUID, Annotated[int, Field(ge=1)]] = Field(
        default_factory=dict,
        max_length=MAX_HELD,
        description="The server revision of each story this device holds; a story changed "
        "since comes as `patches` from that revision (when smaller than the story).",
    )


class PulledStoryPublic(BaseModel):
    story_id: uuid.UUID
    revision: int
    deleted: bool
    story: StoryPublic | None = Field(default=None, description="Absent for deleted stories.")


class PulledPatchesPublic(PulledStoryPublic):
    """A changed story in the answer to ``POST /pull``: whole, deleted, or as patches (then
    ``story`` is absent)."""

    patch_from: int | None = Field(
        default=None,
        description="Set when the change comes as `patches`: the revision (named in the "
        "pull's `have`) they apply to.",
    )
    patches: list[Patch] | None = Field(
        default=None,
        description="The core's patches from revision `patch_from` to `revision`, to apply in "
        "order (none: the device already holds this revision's content).",
    )
    sha256: str | None = Field(
        default=None,
        description="With `patches`: the sha256 (hex) of revision `revision`'s canonical JSON; "
        "a device whose result differs pulls the story whole (leave it out of `have`).",
    )


class PullPublic(BaseModel):
    protocol: Literal[1] = 1
    changes: list[PulledStoryPublic]
    cursor: str = Field(description="Send it back as `cursor` to get what changed after this page.")
    has_more: bool


class PullPatchesPublic(PullPublic):
    """The answer to ``POST /pull``: a ``GET`` answer whose stories may come as patches."""

    changes: list[PulledPatchesPublic]  # type: ignore[assignment]
