"""One tab per browser profile syncs (ADR 0108): two tabs of one profile, both signed in and
both editing, make exactly the revisions their edits call for on the server, and only the
elected tab talks to the API; when it closes, the next tab takes over."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from story_gen.browser._facade import Facade
from story_gen.browser._service import Studio
from story_gen.browser.handlers import registry
from story_gen.browser.memory_host import MemoryDatabase, MemoryHost
from tests.browser.sync.conftest import Device, HttpxHttp
from tests.browser.sync.test_sync_client import (
    ALICE,
    _device,
    _revisions,
    _server_stories,
    _set_premise,
    _signed_in,
)


class Tab:
    """Another tab of a device's browser profile: its own worker (studio), the same storage."""

    def __init__(self, device: Device) -> None:
        self.http = HttpxHttp()
        self.studio = Studio(MemoryHost(device.database), self.http, sync_in_background=False)
        self.facade = Facade(self.studio, registry)
        self._next = 0

    async def call(self, name: str, **args: Any) -> Any:
        self._next += 1
        request = json.dumps({"id": self._next, "name": name, "args": args})
        reply = json.loads(await self.facade.handle(request))
        assert not reply.get("error"), f"{name}: {reply.get('error')}"
        return reply["result"]


def _leading(studio: Studio) -> bool:
    # A function, not the attribute: the attribute changes under the test's feet (an election).
    return studio.sync.leading


def run(body: Any) -> Any:
    return asyncio.run(body)


def test_two_tabs_of_one_profile_make_only_the_revisions_their_edits_call_for(
    devices: list[Device], account: dict[str, str]
) -> None:
    async def body() -> None:
        a = await _signed_in(devices, account, new=True)
        assert a.studio.sync.leading
        b = Tab(a)
        await b.studio.start()
        assert not _leading(b.studio)  # tab A holds the profile's sync lock
        before = _revisions(account, ALICE)

        await _set_premise(a, ALICE, "Tab A's premise.")
        await b.call("story.open", story_id=ALICE)
        await b.call("story.rename", story_id=ALICE, title="Tab B's title")
        # Tab B asks to sync (focus, the periodic pull): it follows, it never sends.
        status = await b.call("sync.now")
        assert status["email"] == account["email"]
        assert b.http.requests == []
        # Tab A syncs both tabs' edits: the two saves are one change, one revision.
        assert (await a.sync())["phase"] == "synced"
        assert (await a.sync())["waiting"] == 0
        assert _revisions(account, ALICE) == [before[0] + 1, *before]
        [story] = [s for s in _server_stories(account) if s["story_id"] == ALICE]
        assert story["title"] == "Tab B's title"
        assert story["blueprint"]["premise"] == "Tab A's premise."
        # Tab B's chip follows what tab A stored.
        followed = await b.call("sync.status")
        assert followed["phase"] == "synced"
        assert followed["waiting"] == 0
        assert b.http.requests == []

        # Tab A closes: tab B is elected, takes the stored outbox and syncs its own edit once.
        a.studio.close()
        for _ in range(10):
            if _leading(b.studio):
                break
            await asyncio.sleep(0)
        assert _leading(b.studio)
        await b.call("story.rename", story_id=ALICE, title="Tab B, alone now")
        done = await b.studio.sync.sync_now()
        assert done.phase == "synced"
        assert done.waiting == 0
        assert _revisions(account, ALICE) == [before[0] + 2, before[0] + 1, *before]
        assert b.http.requests
        b.studio.close()

    run(body())


def test_signing_in_in_a_tab_that_does_not_sync_reaches_the_one_that_does(
    devices: list[Device], account: dict[str, str]
) -> None:
    async def body() -> None:
        await _signed_in(devices, account, new=True)  # the account exists, with the demos
        devices[-1].close()
        fresh = await _device(devices, account["api_url"])
        follower = Tab(fresh)
        await follower.studio.start()
        assert not follower.studio.sync.leading
        status = await follower.call("account.sign_in", **account, upload_local=True)
        assert status["email"] == account["email"]
        # The syncing tab hears of it, takes the stored account, and syncs.
        synced = await fresh.sync()
        assert synced["email"] == account["email"]
        assert synced["phase"] == "synced"
        assert {s["story_id"] for s in _server_stories(account)} >= {ALICE}
        follower.studio.close()

    run(body())


def test_without_web_locks_every_tab_syncs_as_before() -> None:
    async def body() -> None:
        database = MemoryDatabase(web_locks=False)
        tabs = [Studio(MemoryHost(database), HttpxHttp(), sync_in_background=False) for _ in "ab"]
        for tab in tabs:
            await tab.start()
        assert [tab.sync.leading for tab in tabs] == [True, True]
        for tab in tabs:
            tab.close()

    run(body())


def test_the_sync_lock_passes_to_the_tab_waiting_longest() -> None:
    async def body() -> None:
        database = MemoryDatabase()
        tabs = [Studio(MemoryHost(database), HttpxHttp(), sync_in_background=False) for _ in "abc"]
        for tab in tabs:
            await tab.start()
        assert [tab.sync.leading for tab in tabs] == [True, False, False]
        tabs[1].close()  # a waiting tab goes away: it is never elected
        tabs[0].close()
        for _ in range(10):
            await asyncio.sleep(0)
        assert _leading(tabs[2])
        tabs[2].close()

    run(body())
