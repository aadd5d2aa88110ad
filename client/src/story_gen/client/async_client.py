"""``AsyncStoryApiClient``: the story_gen sync API over httpx (asyncio)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping
from typing import Any, TypeVar

import httpx

from story_gen.client import calls
from story_gen.client._transport import DEFAULT_TIMEOUT, judge, request_args, to_reply
from story_gen.client.calls import Call
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
from story_gen.client.retry import RetryPolicy
from story_gen.core import StoryBlueprint

__all__ = ["AsyncStoryApiClient"]

T = TypeVar("T")


class AsyncStoryApiClient:
    """One account on one sync API. Errors raise :class:`~story_gen.client.ApiError` (the
    server's status, code, message and diagnostics) or
    :class:`~story_gen.client.TransportError`.

    ``transport`` is any httpx transport; ``http`` an httpx client to use instead of making one
    (its base URL then wins over ``base_url``).
    """

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        http: httpx.AsyncClient | None = None,
        sleep: Any = asyncio.sleep,
        device: str | None = None,
    ) -> None:
        """``device``: this device's name, sent with every push and every story-API write
        (create, update, restore a revision) and kept with the revisions they make (the
        history says where an edit came from, ADR 0109)."""
        self.token = token
        self.device = device
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        # ``http``: bring your own client (proxies, certificates, an in-process test client).
        self._http = http or httpx.AsyncClient(
            base_url=base_url, timeout=timeout, transport=transport
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncStoryApiClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    async def run(self, call: Call[T]) -> T:
        """Send ``call``, retrying as its kind allows; its answer read, or the error raised."""
        attempt = 0
        while True:
            attempt += 1
            reply: Reply | None = None
            failure: httpx.TransportError | None = None
            try:
                response = await self._http.request(
                    call.method, call.path, **request_args(call, self.token)
                )
                reply = to_reply(response)
            except httpx.TransportError as error:
                failure = error
            outcome = judge(call, self.retry, attempt, reply, failure, call.path)
            if outcome.error is not None:
                raise outcome.error
            if outcome.wait is None:
                value: T = outcome.value
                return value
            await self._sleep(outcome.wait)

    # -- accounts
    async def register(self, email: str, password: str, display_name: str) -> User:
        return await self.run(calls.register(email, password, display_name))

    async def login(self, email: str, password: str) -> Token:
        """Sign in; later requests carry the token."""
        token = await self.run(calls.login(email, password))
        self.token = token.access_token
        return token

    async def logout(self) -> None:
        await self.run(calls.logout())
        self.token = None

    async def me(self) -> User:
        return await self.run(calls.me())

    # -- stories (the story API; every answer with its revision)
    async def list_stories(self, *, include_deleted: bool = False) -> list[StoryRecord]:
        return await self.run(calls.list_stories(include_deleted=include_deleted))

    async def get_story(self, story_id: uuid.UUID) -> StoryRecord:
        return await self.run(calls.get_story(story_id))

    async def create_story(
        self, title: str, blueprint: StoryBlueprint | Mapping[str, Any]
    ) -> StoryRecord:
        return await self.run(calls.create_story(title, blueprint, self.device))

    async def update_story(
        self, story_id: uuid.UUID, title: str, blueprint: StoryBlueprint | Mapping[str, Any]
    ) -> StoryRecord:
        return await self.run(calls.update_story(story_id, title, blueprint, self.device))

    async def delete_story(self, story_id: uuid.UUID) -> None:
        await self.run(calls.delete_story(story_id))

    async def restore_story(self, story_id: uuid.UUID) -> StoryRecord:
        return await self.run(calls.restore_story(story_id))

    async def revisions(self, story_id: uuid.UUID) -> list[RevisionInfo]:
        return await self.run(calls.revisions(story_id))

    async def revision(self, story_id: uuid.UUID, number: int) -> StoryRecord:
        return await self.run(calls.revision(story_id, number))

    async def restore_revision(self, story_id: uuid.UUID, number: int) -> StoryRecord:
        return await self.run(calls.restore_revision(story_id, number, self.device))

    # -- sync protocol v1
    async def push(self, changes: list[WireChange]) -> PushAnswer:
        return await self.run(calls.push(changes, self.device))

    async def pull(
        self, cursor: str | None, limit: int = 50, have: Mapping[uuid.UUID, int] | None = None
    ) -> PullAnswer:
        """Changes since ``cursor``; with ``have`` (the revision of each story held here,
        :meth:`SyncEngine.held_revisions`) a changed story may come as patches."""
        return await self.run(calls.pull(cursor, limit, have))
