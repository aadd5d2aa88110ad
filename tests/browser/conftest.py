"""tests/browser: the studio service, on CPython with the in-memory host and inside Pyodide
(under Node, with fake-indexeddb) with both the in-memory host and the real JS host.

The ``world`` fixture is one browser profile; ``world.tab()`` opens a tab on it: its own
studio service over its own host, sharing storage and the BroadcastChannel with the profile's
other tabs. On CPython every world is a :class:`MemoryWorld`; inside Pyodide every service test
runs twice, on a MemoryWorld and on an :class:`IdbWorld` (browser/js/host.mjs over
fake-indexeddb, the host the studio's worker uses). Fault injection happens where a browser
fails: a full quota in the host's storage.

Test modules use the fixtures and, for type annotations only, the classes below.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Coroutine, Iterator
from typing import Any, TypeVar

import pytest

from story_gen.browser._facade import Facade
from story_gen.browser._host import Host
from story_gen.browser._service import StartResult, Studio
from story_gen.browser.handlers import registry
from story_gen.browser.memory_host import MemoryDatabase, MemoryHost

IN_PYODIDE = sys.platform == "emscripten"
WORLD_KINDS = ["memory", "idb"] if IN_PYODIDE else ["memory"]
T = TypeVar("T")

# test_js_host talks to the JS host, which exists only where there is JS; sync/ drives the
# sync client against the real API, which runs on CPython only.
collect_ignore = ["sync"] if IN_PYODIDE else ["test_js_host.py"]


def run(awaitable: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from a synchronous test, on CPython or in Pyodide."""
    if IN_PYODIDE:
        from story_gen.browser._js import block_on

        return block_on(awaitable)
    return asyncio.run(awaitable)


class ReplyError(AssertionError):
    def __init__(self, error: dict[str, str]) -> None:
        super().__init__(f"{error['type']}: {error['message']}")
        self.type = error["type"]
        self.message = error["message"]


class Tab:
    """One browser tab: the studio service over a host, driven through the JSON facade."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.studio = Studio(host)
        self.facade = Facade(self.studio, registry)
        self.pushes: list[dict[str, Any]] = []
        self.studio.set_push_sink(lambda message: self.pushes.append(json.loads(message)))
        self._next_id = 0

    async def start(self) -> StartResult:
        return await self.studio.start()

    async def request(self, name: str, **args: Any) -> dict[str, Any]:
        """The raw reply envelope."""
        self._next_id += 1
        rid = self._next_id
        text = await self.facade.handle(json.dumps({"id": rid, "name": name, "args": args}))
        reply: dict[str, Any] = json.loads(text)
        assert reply["type"] == "reply"
        assert reply["id"] == rid
        return reply

    async def call(self, name: str, **args: Any) -> Any:
        """The result, or ReplyError carrying the error reply."""
        reply = await self.request(name, **args)
        if "error" in reply and reply["error"] is not None:
            raise ReplyError(reply["error"])
        return reply["result"]

    async def fails(self, name: str, **args: Any) -> ReplyError:
        """The error reply of a call that must fail."""
        try:
            await self.call(name, **args)
        except ReplyError as error:
            return error
        raise AssertionError(f"{name} succeeded but should have failed")

    def pushed(self, name: str) -> list[dict[str, Any]]:
        return [p["args"] for p in self.pushes if p["name"] == name]

    def close(self) -> None:
        self.studio.close()


class World:
    """One browser profile; subclasses say where its storage lives."""

    kind = ""

    def __init__(self) -> None:
        self.tabs: list[Tab] = []

    def new_host(self) -> Host:
        raise NotImplementedError

    def run(self, awaitable: Coroutine[Any, Any, T]) -> T:
        return run(awaitable)

    def tab(self, host: Host | None = None) -> Tab:
        """A new tab on this profile (on ``host`` when given, e.g. one with its own clock)."""
        tab = Tab(host if host is not None else self.new_host())
        self.tabs.append(tab)
        return tab

    async def started_tab(self) -> Tab:
        tab = self.tab()
        await tab.start()
        return tab

    def fail_writes_with_quota(self) -> None:
        """From now on every write fails as on a full disk, until clear_faults()."""
        raise NotImplementedError

    def clear_faults(self) -> None:
        raise NotImplementedError

    async def stored_story(self, story_id: str) -> dict[str, Any] | None:
        """What a fresh reader (a new connection, as after reopening the browser) finds."""
        raise NotImplementedError

    async def queue_pending(self, story_id: str, op: dict[str, Any]) -> int:
        """Keep an edit as the UI thread does before the core is ready; its pending id."""
        raise NotImplementedError

    async def pending(self) -> list[dict[str, Any]]:
        """Every pending edit record, as a fresh reader finds them."""
        raise NotImplementedError

    async def restore_pending(self, records: list[dict[str, Any]]) -> None:
        """Put records back as they were (a crash that kept them after their story was stored)."""
        raise NotImplementedError

    async def settle(self) -> None:
        """Let broadcasts arrive and every tab handle them."""
        for _ in range(3):
            await self._deliver()
            for tab in self.tabs:
                await tab.studio.idle()

    async def _deliver(self) -> None:
        for _ in range(5):
            await asyncio.sleep(0)

    def close(self) -> None:
        for tab in self.tabs:
            tab.close()


class MemoryWorld(World):
    kind = "memory"

    def __init__(self) -> None:
        super().__init__()
        self.database = MemoryDatabase()

    def new_host(self) -> Host:
        return MemoryHost(self.database)

    def fail_writes_with_quota(self) -> None:
        self.database.quota_bytes = 0

    def clear_faults(self) -> None:
        self.database.quota_bytes = None

    async def stored_story(self, story_id: str) -> dict[str, Any] | None:
        text = await MemoryHost(self.database).get_story(story_id)
        return None if text is None else dict(json.loads(text))

    async def queue_pending(self, story_id: str, op: dict[str, Any]) -> int:
        return self.database.add_pending(story_id, op, "2026-12-06T12:00:00Z")

    async def pending(self) -> list[dict[str, Any]]:
        return list(json.loads(await MemoryHost(self.database).get_pending()))

    async def restore_pending(self, records: list[dict[str, Any]]) -> None:
        for record in records:
            self.database.pending[int(record["id"])] = record


class IdbWorld(World):
    kind = "idb"

    def __init__(self) -> None:
        super().__init__()
        from story_gen.browser._js import js_module

        self._worlds = js_module("story_gen_test_worlds")
        self._js = self._worlds.newWorld()

    def new_host(self) -> Host:
        from story_gen.browser._js import JsHost

        return JsHost(self._js.tab())

    def fail_writes_with_quota(self) -> None:
        self._worlds.failPutsWithQuota(1_000_000)

    def clear_faults(self) -> None:
        self._worlds.clearFaults()

    async def stored_story(self, story_id: str) -> dict[str, Any] | None:
        found = json.loads(str(await _awaited(self._js.readStory(story_id))))
        return None if found is None else dict(found)

    async def queue_pending(self, story_id: str, op: dict[str, Any]) -> int:
        return int(await _awaited(self._js.queuePending(story_id, json.dumps(op))))

    async def pending(self) -> list[dict[str, Any]]:
        return list(json.loads(str(await _awaited(self._js.readPending()))))

    async def restore_pending(self, records: list[dict[str, Any]]) -> None:
        await _awaited(self._js.restorePending(json.dumps(records)))

    async def _deliver(self) -> None:
        await _awaited(self._worlds.settle(5))

    def close(self) -> None:
        super().close()
        self.clear_faults()


async def _awaited(value: Awaitable[T]) -> T:
    return await value


def make_world(kind: str) -> World:
    return IdbWorld() if kind == "idb" else MemoryWorld()


@pytest.fixture(params=WORLD_KINDS)
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    made = make_world(str(request.param))
    yield made
    made.close()


@pytest.fixture
def memory_world() -> Iterator[MemoryWorld]:
    """An in-memory profile, for what only memory can show (a commit held in flight)."""
    made = MemoryWorld()
    yield made
    made.close()


def pytest_report_header() -> str:
    return f"tests/browser worlds: {', '.join(WORLD_KINDS)} ({sys.platform})"
