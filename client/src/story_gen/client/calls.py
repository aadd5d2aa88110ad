"""Every request the client makes, described once: method, path, body, whether it is safe to
repeat, and how to read the answer. The sync and async clients only execute these."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter

from story_gen.client.models import (
    PullAnswer,
    PushAnswer,
    RevisionInfo,
    StoryRecord,
    Token,
    User,
    WireChange,
)
from story_gen.client.reply import Reply
from story_gen.core import StoryBlueprint, to_canonical_json

__all__ = ["REVISION_HEADER", "Call"]

T = TypeVar("T")

REVISION_HEADER = "x-story-revision"
"""The story API's answers carry the revision here (and as the ETag), not in the v1 body."""

FULL = {"view": "full"}
"""The opt-in representation: revision, conflicts and deleted_at_utc in the body."""


@dataclass(frozen=True)
class Call(Generic[T]):
    method: str
    path: str
    read: Callable[[Reply], T]
    json: Any = None
    params: Mapping[str, str] = field(default_factory=dict)
    idempotent: bool = True
    authenticated: bool = True


def _model(adapter: TypeAdapter[T]) -> Callable[[Reply], T]:
    return lambda reply: adapter.validate_json(reply.body)


def _story(reply: Reply) -> StoryRecord:
    record = StoryRecord.model_validate_json(reply.body)
    header = reply.header(REVISION_HEADER)
    if header is not None and record.revision == 0:
        record = record.model_copy(update={"revision": int(header)})
    return record


def _nothing(_reply: Reply) -> None:
    return None


_USER = TypeAdapter(User)
_TOKEN = TypeAdapter(Token)
_STORIES = TypeAdapter(list[StoryRecord])
_REVISIONS = TypeAdapter(list[RevisionInfo])
_PUSH = TypeAdapter(PushAnswer)
_PULL = TypeAdapter(PullAnswer)


def _blueprint(blueprint: StoryBlueprint | Mapping[str, Any]) -> Any:
    if isinstance(blueprint, StoryBlueprint):
        return json.loads(to_canonical_json(blueprint))
    return dict(blueprint)


def _change(change: WireChange) -> dict[str, Any]:
    body: dict[str, Any] = {
        "change_id": str(change.change_id),
        "story_id": str(change.story_id),
        "base_revision": change.base_revision,
        "op": change.op,
    }
    if change.conflicts:
        body["conflicts"] = [c.model_dump(mode="json") for c in change.conflicts]
    if change.title is not None:
        body["title"] = change.title
    if change.blueprint is not None:
        body["blueprint"] = _blueprint(change.blueprint)
    if change.patch is not None:
        body["patch"] = change.patch.model_dump(mode="json")
    return body


def register(email: str, password: str, display_name: str) -> Call[User]:
    body = {"email": email, "password": password, "display_name": display_name}
    # Not repeated: a lost 201 then a retry would answer 409 for an account that is fine.
    return Call(
        "POST", "/api/v1/auth/register", _model(_USER), body, idempotent=False, authenticated=False
    )


def login(email: str, password: str) -> Call[Token]:
    body = {"email": email, "password": password}
    # Retrying a login is harmless (a second token); it does count against the login limit.
    return Call("POST", "/api/v1/auth/login", _model(_TOKEN), body, authenticated=False)


def logout() -> Call[None]:
    return Call("POST", "/api/v1/auth/logout", _nothing)


def me() -> Call[User]:
    return Call("GET", "/api/v1/me", _model(_USER))


def list_stories(*, include_deleted: bool = False) -> Call[list[StoryRecord]]:
    params = {**FULL, **({"include_deleted": "true"} if include_deleted else {})}
    return Call("GET", "/api/v1/stories", _model(_STORIES), params=params)


def get_story(story_id: uuid.UUID) -> Call[StoryRecord]:
    return Call("GET", f"/api/v1/stories/{story_id}", _story, params=FULL)


def _full(device: str | None) -> dict[str, str]:
    """The full representation, and the device kept with the revision a write makes."""
    return FULL if device is None else {**FULL, "device": device}


def create_story(
    title: str, blueprint: StoryBlueprint | Mapping[str, Any], device: str | None = None
) -> Call[StoryRecord]:
    body = {"title": title, "blueprint": _blueprint(blueprint)}
    # A retry after a lost answer would make a second story: never repeated.
    return Call("POST", "/api/v1/stories", _story, body, params=_full(device), idempotent=False)


def update_story(
    story_id: uuid.UUID,
    title: str,
    blueprint: StoryBlueprint | Mapping[str, Any],
    device: str | None = None,
) -> Call[StoryRecord]:
    body = {"title": title, "blueprint": _blueprint(blueprint)}
    # PUT replaces: sending the same document twice leaves the same content.
    return Call("PUT", f"/api/v1/stories/{story_id}", _story, body, params=_full(device))


def delete_story(story_id: uuid.UUID) -> Call[None]:
    return Call("DELETE", f"/api/v1/stories/{story_id}", _nothing)


def restore_story(story_id: uuid.UUID) -> Call[StoryRecord]:
    return Call("POST", f"/api/v1/stories/{story_id}/restore", _story, params=FULL)


def revisions(story_id: uuid.UUID) -> Call[list[RevisionInfo]]:
    return Call("GET", f"/api/v1/stories/{story_id}/revisions", _model(_REVISIONS))


def revision(story_id: uuid.UUID, number: int) -> Call[StoryRecord]:
    return Call("GET", f"/api/v1/stories/{story_id}/revisions/{number}", _story, params=FULL)


def restore_revision(
    story_id: uuid.UUID, number: int, device: str | None = None
) -> Call[StoryRecord]:
    # Each call makes a new head revision: not repeated.
    path = f"/api/v1/stories/{story_id}/revisions/{number}/restore"
    return Call("POST", path, _story, params=_full(device), idempotent=False)


def push(changes: list[WireChange], device: str | None = None) -> Call[PushAnswer]:
    """``device``: this device's name, kept with the revisions the push makes (ADR 0109)."""
    body: dict[str, object] = {"protocol": 1, "changes": [_change(change) for change in changes]}
    if device is not None:
        body["device"] = device
    # Idempotent by change_id: the server answers a repeated change from storage.
    return Call("POST", "/api/v1/sync/push", _model(_PUSH), body)


def pull(
    cursor: str | None, limit: int = 50, have: Mapping[uuid.UUID, int] | None = None
) -> Call[PullAnswer]:
    """Without ``have``, the v1 pull every server speaks (whole stories); with it (the
    revision of each story the device holds), stories changed since may come as patches."""
    if have is None:
        params = {"limit": str(limit), **({"cursor": cursor} if cursor else {})}
        return Call("GET", "/api/v1/sync/pull", _model(_PULL), params=params)
    body = {
        "protocol": 1,
        "cursor": cursor,
        "limit": limit,
        "have": {str(story_id): revision for story_id, revision in have.items()},
    }
    # Reads only: repeating it is safe.
    return Call("POST", "/api/v1/sync/pull", _model(_PULL), body)
