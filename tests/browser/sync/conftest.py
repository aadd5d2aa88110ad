"""The studio's sync client against the real sync API (PostgreSQL + S3 over HTTP, served by
uvicorn): CPython only, since the API does not run in Pyodide (tests/browser/conftest.py leaves
this folder out there). Each ``Device`` is one browser profile: its own in-memory storage and
studio service, whose ``fetch`` is httpx."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

import httpx
import pytest

from story_gen.browser._facade import Facade
from story_gen.browser._service import Studio
from story_gen.browser.handlers import registry
from story_gen.browser.memory_host import MemoryDatabase, MemoryHost
from story_gen.browser.sync import HttpFailedError
from story_gen.client.reply import Reply
from tests.sync_api.conftest import (  # noqa: F401  (fixtures shared with the API's suite)
    _aws_test_credentials,
    app,
    clock,
    live_url,
    postgres_url,
    s3_bucket,
    s3_endpoint,
    settings,
    settings_for,
)

PASSWORD = "correct horse battery"


@pytest.fixture
def backend() -> str:
    return "postgres"


class HttpxHttp:
    """The sync client's Http over httpx (the studio's is the browser's fetch). ``down``: no
    answer at all, as offline; ``drop_answers``: the next N pushes reach the server and their
    answers are lost on the way back (a reload or a crash mid-push)."""

    def __init__(self) -> None:
        self.down = False
        self.drop_answers = 0
        self.requests: list[tuple[str, str]] = []

    async def request(
        self, method: str, url: str, headers: Mapping[str, str], body: str | None
    ) -> Reply:
        if self.down:
            raise HttpFailedError(f"{method} {url}: offline")
        self.requests.append((method, url))
        async with httpx.AsyncClient(timeout=30) as client:
            answer = await client.request(method, url, headers=dict(headers), content=body)
        if self.drop_answers and "/sync/push" in url:
            self.drop_answers -= 1
            raise HttpFailedError(f"{method} {url}: the answer was lost")
        return Reply(
            answer.status_code, answer.content, {k.lower(): v for k, v in answer.headers.items()}
        )


class Device:
    """One browser profile; ``reload()`` is a new page on the same storage."""

    def __init__(self, api: str) -> None:
        self.api = api
        self.database = MemoryDatabase()
        self.http = HttpxHttp()
        self.studio = self._studio()
        self.facade = Facade(self.studio, registry)
        self.pushes: list[dict[str, Any]] = []
        self.studio.set_push_sink(lambda message: self.pushes.append(json.loads(message)))
        self._next = 0

    def _studio(self) -> Studio:
        return Studio(MemoryHost(self.database), self.http, sync_in_background=False)

    async def start(self) -> None:
        await self.studio.start()
        await self.studio.idle()

    async def reload(self) -> None:
        self.studio.close()
        self.studio = self._studio()
        self.facade = Facade(self.studio, registry)
        await self.start()

    async def call(self, name: str, **args: Any) -> Any:
        self._next += 1
        request = json.dumps({"id": self._next, "name": name, "args": args})
        reply = json.loads(await self.facade.handle(request))
        if reply.get("error"):
            raise AssertionError(f"{name}: {reply['error']}")
        return reply["result"]

    async def fails(self, name: str, **args: Any) -> dict[str, str]:
        self._next += 1
        request = json.dumps({"id": self._next, "name": name, "args": args})
        reply = json.loads(await self.facade.handle(request))
        assert reply.get("error"), f"{name} succeeded but should have failed"
        error: dict[str, str] = reply["error"]
        return error

    async def sync(self) -> dict[str, Any]:
        status = await self.studio.sync.sync_now()
        await self.studio.idle()
        result: dict[str, Any] = json.loads(status.model_dump_json())
        return result

    async def stories(self) -> dict[str, dict[str, Any]]:
        """Every live story stored on this device, by id (the canonical Story JSON)."""
        host = MemoryHost(self.database)
        found: dict[str, dict[str, Any]] = {}
        for summary in json.loads(await host.list_summaries()):
            if summary["deleted_at_utc"] is None:
                text = await host.get_story(summary["story_id"])
                assert text is not None
                found[summary["story_id"]] = json.loads(json.loads(text)["story_json"])
        return found

    def close(self) -> None:
        self.studio.close()


@pytest.fixture
def account(live_url: str) -> dict[str, str]:  # noqa: F811 (the fixture)
    email = f"s{uuid.uuid4().hex[:10]}@example.org"
    return {"api_url": live_url, "email": email, "password": PASSWORD}


@pytest.fixture
def devices(live_url: str) -> Iterator[list[Device]]:  # noqa: F811 (the fixture)
    made: list[Device] = []
    yield made
    for device in made:
        device.close()
