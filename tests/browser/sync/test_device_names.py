"""The history says which device made a revision (ADR 0109): the studio sends the name it was
given at sign-in with each push, and the account's history lists it; the Python client's
``device`` option does the same."""

from __future__ import annotations

import asyncio
import uuid

from story_gen.client import StoryApiClient
from story_gen.client.sync_engine import SyncEngine
from story_gen.client.syncing import push_all
from story_gen.core import Story
from tests.browser.sync.conftest import PASSWORD, Device
from tests.browser.sync.test_sync_client import ALICE, _device, _set_premise


def test_the_studio_names_its_device_in_the_accounts_history(
    devices: list[Device], account: dict[str, str]
) -> None:
    async def body() -> None:
        a = await _device(devices, account["api_url"])
        await a.call("account.sign_up", **account, upload_local=True, device="Firefox on Linux")
        await a.sync()
        await _set_premise(a, ALICE, "Written on the named device.")
        await a.sync()
        listed = (await a.call("history.revisions", story_id=ALICE))["revisions"]
        assert listed[0]["device"] == "Firefox on Linux"
        # The demo uploaded at sign-in came from this device too.
        assert {line["device"] for line in listed} == {"Firefox on Linux"}

    asyncio.run(body())


def test_the_python_client_names_its_device_and_an_unnamed_one_stays_unnamed(
    live_url: str,
) -> None:
    email = f"c{uuid.uuid4().hex[:10]}@example.org"
    with StoryApiClient(live_url) as anonymous:
        anonymous.register(email, PASSWORD, "C")
        token = anonymous.login(email, PASSWORD).access_token
    story_id = uuid.uuid4()
    engine = SyncEngine()
    engine.edit(_new_story(story_id))
    with StoryApiClient(live_url, token=token, device="laptop.local") as named:
        assert not push_all(named, engine).rejected
    story = engine.stories()[story_id]
    engine.edit(story.model_copy(update={"title": "Renamed by a client that does not say"}))
    with StoryApiClient(live_url, token=token) as unnamed:
        assert not push_all(unnamed, engine).rejected
        revisions = unnamed.revisions(story_id)
    assert [(r.revision, r.device) for r in revisions] == [(2, None), (1, "laptop.local")]


def _new_story(story_id: uuid.UUID) -> Story:
    return Story.model_validate(
        {
            "story_id": str(story_id),
            "title": "Named",
            "blueprint": {"premise": "A premise."},
            "created_at_utc": "2026-12-06T10:00:00Z",
            "updated_at_utc": "2026-12-06T10:00:00Z",
        }
    )
