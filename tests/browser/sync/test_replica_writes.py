"""A sync cycle that changes nothing (the periodic pull's usual case) writes only the time it
ended, never the whole replica (two copies of every story); one that pushes an edit writes it."""

from __future__ import annotations

import asyncio
from uuid import UUID

from story_gen.browser._service import Studio
from story_gen.browser.memory_host import MemoryDatabase, MemoryHost
from story_gen.browser.sync._replica import REPLICA_KEY, SYNCED_AT_KEY
from tests.browser.sync.conftest import Device, HttpxHttp
from tests.browser.sync.test_sync_client import ALICE, _signed_in


class CountingHost(MemoryHost):
    def __init__(self, database: MemoryDatabase) -> None:
        super().__init__(database)
        self.writes: list[str] = []

    async def set_meta(self, key: str, value_json: str) -> None:
        self.writes.append(key)
        await super().set_meta(key, value_json)


def test_an_idle_cycle_writes_only_its_time(devices: list[Device], account: dict[str, str]) -> None:
    async def body() -> None:
        device = await _signed_in(devices, account, new=True)
        device.studio.close()
        host = CountingHost(device.database)
        studio = Studio(host, HttpxHttp(), sync_in_background=False)
        await studio.start()
        idle = await studio.sync.sync_now()
        assert idle.phase == "synced"
        assert host.writes == [SYNCED_AT_KEY]
        host.writes.clear()
        opened = await studio.sessions.get(UUID(ALICE))
        story = opened.current.model_copy(update={"title": "Renamed, then pushed"})
        await studio.editing.change(opened, story, label="rename")
        pushed = await studio.sync.sync_now()
        assert pushed.phase == "synced"
        assert REPLICA_KEY in host.writes
        assert host.writes[-1] == SYNCED_AT_KEY
        # A reload shows the time the idle cycle ended, not the replica's older one.
        again = Studio(MemoryHost(device.database), HttpxHttp(), sync_in_background=False)
        studio.close()
        await again.start()
        assert again.sync.status().last_synced_at_utc == pushed.last_synced_at_utc
        again.close()

    asyncio.run(body())
