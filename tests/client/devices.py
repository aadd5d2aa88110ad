"""Simulated devices for the sync tests: the real client sync engine and the real client over
the real API, with the network's faults injected at the edge (offline, a lost answer, an
answer delivered twice or late). Each device keeps its engine state as JSON between steps,
as the CLI and the studio do, so a saved and reloaded outbox is exercised too."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi.testclient import TestClient

from story_gen.client import (
    PullAnswer,
    PushAnswer,
    StoryApiClient,
    SyncEngine,
    SyncReport,
    SyncState,
)
from story_gen.core import Story, to_canonical_json


@dataclass
class Faults:
    drop: float = 0.0
    """Chance that an answer is lost after the server handled the request."""
    duplicate: float = 0.0
    """Chance that an answer is kept and delivered again later."""


@dataclass
class Device:
    name: str
    client: StoryApiClient
    rng: random.Random
    faults: Faults = field(default_factory=Faults)
    online: bool = True
    state_json: str = field(default_factory=lambda: SyncState().model_dump_json())
    late: list[tuple[str, str | None, Any]] = field(default_factory=list)
    patches: bool = True
    """Pull with ``have`` (changed stories as patches); False: the v1 ``GET`` (whole)."""

    def pull(self, engine: SyncEngine, cursor: str | None, limit: int) -> PullAnswer:
        have = engine.held_revisions() if self.patches else None
        return self.client.pull(cursor, limit, have)

    def engine(self) -> SyncEngine:
        ids = self.rng
        return SyncEngine(
            SyncState.model_validate_json(self.state_json),
            new_id=lambda: uuid.UUID(int=ids.getrandbits(128), version=4),
        )

    def save(self, engine: SyncEngine) -> None:
        self.state_json = engine.state.model_dump_json()

    def stories(self) -> dict[uuid.UUID, Story]:
        return self.engine().stories()

    def edit(self, story: Story) -> None:
        engine = self.engine()
        engine.edit(story)
        self.save(engine)

    def _deliver(self, engine: SyncEngine, kind: str, cursor: str | None, answer: Any) -> None:
        if kind == "push":
            engine.apply_push(answer)
        else:
            engine.apply_pull(cursor, answer)

    def _faulty(self, engine: SyncEngine, kind: str, cursor: str | None, answer: Any) -> None:
        if self.rng.random() < self.faults.duplicate:
            self.late.append((kind, cursor, answer))
        if self.rng.random() < self.faults.drop:
            return
        self._deliver(engine, kind, cursor, answer)

    def step(self) -> None:
        """One round of sync as the network allows: push, pull, maybe a stale answer."""
        if not self.online:
            return
        engine = self.engine()
        changes = engine.outgoing(20)
        if changes:
            pushed: PushAnswer = self.client.push(changes)
            self._faulty(engine, "push", None, pushed)
        cursor = engine.pull_cursor()
        pulled = self.pull(engine, cursor, 20)
        self._faulty(engine, "pull", cursor, pulled)
        if self.late and self.rng.random() < 0.5:
            kind, old_cursor, answer = self.late.pop(self.rng.randrange(len(self.late)))
            self._deliver(engine, kind, old_cursor, answer)
        self.save(engine)

    def settle(self) -> SyncReport:
        """Sync with a perfect network until nothing is left to send or to pull; the report's
        ``changed`` also holds every story this device pushed."""
        engine = self.engine()
        report = SyncReport()
        for _ in range(10):
            changes = engine.outgoing(50)
            if changes:
                engine.apply_push(self.client.push(changes))
                report.changed |= {change.story_id for change in changes}
            while True:
                cursor = engine.pull_cursor()
                answer = self.pull(engine, cursor, 50)
                more = engine.apply_pull(cursor, answer)
                report.changed |= more.changed
                if not answer.has_more and not more.refetch:
                    break
            if not engine.outgoing(50):
                break
        self.save(engine)
        return report


def canonical(stories: dict[uuid.UUID, Story]) -> dict[str, str]:
    return {str(sid): to_canonical_json(story) for sid, story in sorted(stories.items())}


def server_stories(client: StoryApiClient) -> dict[uuid.UUID, Story]:
    return {record.story_id: record.to_story() for record in client.list_stories()}


class InProcess(httpx.BaseTransport):
    """An httpx transport that hands each request to the app in process: the real routes,
    database and object store, without a socket.

    The request runs on the test client's event loop (its blocking portal, which also ran the
    app's lifespan) through httpx's ASGI transport: one hop between threads per request,
    where the test client's own transport takes about seven (it streams the body through the
    portal piece by piece). Answers come back as the app sent them, compressed included."""

    def __init__(self, app_client: TestClient) -> None:
        if app_client.portal is None:
            raise RuntimeError("open the test client first (`with TestClient(app)`)")
        self.portal = app_client.portal
        self.asgi = httpx.ASGITransport(app=app_client.app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()

        async def exchange() -> tuple[int, list[tuple[bytes, bytes]], bytes]:
            inner = httpx.Request(
                request.method, request.url, headers=request.headers, content=body
            )
            answer = await self.asgi.handle_async_request(inner)
            assert isinstance(answer.stream, httpx.AsyncByteStream)
            raw = b"".join([chunk async for chunk in answer.stream])  # still encoded
            return answer.status_code, answer.headers.raw, raw

        status, headers, raw = self.portal.call(exchange)
        return httpx.Response(status, headers=headers, stream=httpx.ByteStream(raw))
