"""story_gen client: the sync API from Python, with httpx and the core only (no server code).

``StoryApiClient`` (blocking) and ``AsyncStoryApiClient`` speak the story API (register,
login, me, stories by id, revisions) and sync protocol v1 (push, pull). ``SyncEngine`` is the
I/O-free sync state machine (outbox, merges, conflicts); ``sync`` runs it over a client.
Errors are :class:`ApiError` (the server's status, code, message, diagnostics) and
:class:`TransportError` (no answer after the allowed retries). See docs/client.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from story_gen.client.errors import ApiError, ClientError, TransportError
from story_gen.client.models import (
    ChangeResult,
    PullAnswer,
    PulledStory,
    PushAnswer,
    RevisionInfo,
    StoryRecord,
    Token,
    User,
    WireChange,
)
from story_gen.client.retry import RetryPolicy
from story_gen.client.sync_engine import SyncEngine, SyncReport, SyncState

if TYPE_CHECKING:
    from story_gen.client.async_client import AsyncStoryApiClient
    from story_gen.client.client import StoryApiClient
    from story_gen.client.syncing import sync, sync_async

__all__ = [
    "ApiError",
    "AsyncStoryApiClient",
    "ChangeResult",
    "ClientError",
    "PullAnswer",
    "PulledStory",
    "PushAnswer",
    "RetryPolicy",
    "RevisionInfo",
    "StoryApiClient",
    "StoryRecord",
    "SyncEngine",
    "SyncReport",
    "SyncState",
    "Token",
    "TransportError",
    "User",
    "WireChange",
    "sync",
    "sync_async",
]

# The httpx-backed parts load on first use, so that the engine, the models and the calls
# import without httpx (the studio runs them in Pyodide over the browser's fetch).
_LAZY = {
    "AsyncStoryApiClient": "story_gen.client.async_client",
    "StoryApiClient": "story_gen.client.client",
    "sync": "story_gen.client.syncing",
    "sync_async": "story_gen.client.syncing",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'story_gen.client' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
