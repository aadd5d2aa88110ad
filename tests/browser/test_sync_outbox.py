"""The sync client's outbox on the studio's own storage (in-memory, and IndexedDB in Pyodide):
with no network, edits queue as changes frozen with their change_id, the status says how many
wait, and a reload sends the very same change again. (Against the real API: sync/.)"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from story_gen.browser._service import Studio
from story_gen.browser.sync import Account, HttpFailedError, Replica
from story_gen.browser.sync._replica import REPLICA_KEY
from story_gen.client.reply import Reply

if TYPE_CHECKING:
    from tests.browser.conftest import World

API = "https://api.example.org"


class NoNetwork:
    """The Http of a device that is offline: every request fails; what was sent is kept."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    async def request(
        self, method: str, url: str, headers: Mapping[str, str], body: str | None
    ) -> Reply:
        self.sent.append({"method": method, "url": url, "body": json.loads(body or "null")})
        raise HttpFailedError(f"{method} {url}: offline")


async def _studio(world: World, http: NoNetwork) -> Studio:
    host = world.new_host()
    studio = Studio(host, http, sync_in_background=False)
    await studio.start()
    await studio.idle()
    return studio


def _pushed_change_ids(http: NoNetwork) -> list[str]:
    return [
        change["change_id"]
        for sent in http.sent
        if sent["url"].endswith("/api/v1/sync/push")
        for change in sent["body"]["changes"]
    ]


def test_offline_edits_queue_and_a_reload_sends_the_same_change(world: World) -> None:
    async def body() -> None:
        first = NoNetwork()
        studio = await _studio(world, first)
        # Signed in earlier, and the account's stories already pulled once (a cursor).
        replica = Replica(account=Account(api_url=API, email="w@example.org", token="t"))
        replica.state.cursor = "v1.0"
        await studio.host.set_meta(REPLICA_KEY, replica.model_dump_json())
        await studio.sync.load()
        assert studio.sync.status().phase == "syncing"

        summaries = await studio.store.summaries()
        status = await studio.sync.sync_now()
        assert status.phase == "offline"
        assert status.waiting == len(summaries)
        sent_first = _pushed_change_ids(first)
        assert len(set(sent_first)) == len(summaries)
        studio.close()

        # A reload: a new service on the same storage sends the very same changes.
        again = NoNetwork()
        reloaded = await _studio(world, again)
        status = await reloaded.sync.sync_now()
        assert status.phase == "offline"
        assert status.waiting == len(summaries)
        assert set(_pushed_change_ids(again)) == set(sent_first)
        reloaded.close()

    world.run(body())


def test_without_an_account_nothing_is_sent(world: World) -> None:
    async def body() -> None:
        http = NoNetwork()
        studio = await _studio(world, http)
        status = await studio.sync.sync_now()
        assert status.phase == "local"
        assert http.sent == []
        studio.close()

    world.run(body())
