"""What this device keeps for sync, in one IndexedDB meta value (written in one transaction).

- ``account``: where and as whom (the API URL, the bearer token; ``expired`` once the API
  said 401: the token is dropped, the outbox is not);
- ``state``: the client's :class:`~story_gen.client.SyncState`, the outbox: per story the
  server's copy, the writer's copy and at most one frozen change (``change_id``, base revision);
- ``seen``: the stored (IndexedDB) revision of each story the engine last took in, so a save
  the engine has not seen yet is found by comparing revisions, never by diffing every story;
- ``local_only``: stories the writer chose to keep off the account when signing in.

The outbox is therefore the stored stories plus this value: an edit is in IndexedDB the moment
the editor stores it (ADR 0105), and the change made of it, once frozen, is saved here before
it is sent, so a reload mid-push sends the same ``change_id`` again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from story_gen.client.sync_engine import SyncState

__all__ = ["REPLICA_KEY", "SYNCED_AT_KEY", "Account", "Replica"]

REPLICA_KEY = "sync.replica"
SYNCED_AT_KEY = "sync.synced_at"
"""When the last sync ended, kept apart: a cycle that changed nothing writes only this, never
the whole replica (which holds two copies of every story)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Account(_Model):
    api_url: str
    email: str
    display_name: str = ""
    user_id: UUID | None = None
    token: str | None = Field(default=None, description="None once expired or signed out.")
    expires_at_utc: AwareDatetime | None = None
    expired: bool = False
    device: str | None = Field(
        default=None, description="This device's name, sent with each push (ADR 0109)."
    )


class Replica(_Model):
    account: Account | None = None
    state: SyncState = Field(default_factory=SyncState)
    seen: dict[UUID, int] = Field(default_factory=dict)
    local_only: set[UUID] = Field(default_factory=set)
    my_side: dict[str, Literal["ours", "theirs"]] = Field(
        default_factory=dict,
        description="Conflict id -> the side this device wrote (a conflict's ours / theirs "
        "say where a merge found a value, not which device wrote it).",
    )
    last_synced_at_utc: datetime | None = None
