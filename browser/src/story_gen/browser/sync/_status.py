"""The sync status a writer reads (the chip in the studio's header), as one push model."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Phase", "SyncStatus"]

Phase = Literal["local", "syncing", "synced", "offline", "signed_out", "problem"]
"""``local``: no account, every story is saved on this device (and nowhere else);
``syncing``; ``synced`` (at ``last_synced_at_utc``); ``offline`` (the API did not answer:
``waiting`` changes queue); ``signed_out``: the sign-in expired, sign in again (the outbox is
kept); ``problem``: the API refused something, ``message`` says what to do."""


class SyncStatus(BaseModel):
    """Push ``sync.status`` (and the result of ``sync.status`` / ``sync.now``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    phase: Phase
    email: str | None = None
    api_url: str | None = None
    waiting: int = Field(default=0, description="Stories with changes not yet on the account.")
    last_synced_at_utc: datetime | None = None
    message: str | None = None
    conflicted_story_ids: list[UUID] = Field(default_factory=list)
    my_side: dict[str, Literal["ours", "theirs"]] = Field(
        default_factory=dict,
        description="Conflict id -> the side this device wrote; the other is the other "
        "device's. Absent: neither (two other devices), shown as ours / theirs.",
    )
    revived_story_ids: list[UUID] = Field(
        default_factory=list,
        description="Deleted on another device and edited here (or the other way round): back.",
    )
