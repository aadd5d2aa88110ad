"""StoryApiClient against the real API (uvicorn, both backends): every call, and errors."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

import pytest

from story_gen.client import (
    ApiError,
    AsyncStoryApiClient,
    RetryPolicy,
    StoryApiClient,
    SyncEngine,
    TransportError,
    WireChange,
    sync_async,
)
from story_gen.core import StoryBlueprint, diff, load_blueprint

from .conftest import PASSWORD

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "blueprints"


def blueprint(name: str = "alice-in-wonderland") -> StoryBlueprint:
    return load_blueprint(json.loads((FIXTURES / f"{name}.json").read_text("utf-8")))


def test_accounts_stories_revisions_and_the_bin(api_client: StoryApiClient) -> None:
    me = api_client.me()
    created = api_client.create_story("Alice", blueprint())
    assert created.owner_id == me.user_id
    assert created.revision == 1
    assert created.blueprint == blueprint()
    assert api_client.get_story(created.story_id) == created
    assert [s.story_id for s in api_client.list_stories()] == [created.story_id]

    edited = blueprint().model_copy(update={"premise": "A second premise."})
    updated = api_client.update_story(created.story_id, "Alice, revised", edited)
    assert (updated.revision, updated.title) == (2, "Alice, revised")
    assert [r.revision for r in api_client.revisions(created.story_id)] == [2, 1]
    assert api_client.revision(created.story_id, 1).blueprint == blueprint()
    restored = api_client.restore_revision(created.story_id, 1)
    assert (restored.revision, restored.blueprint) == (3, blueprint())

    api_client.delete_story(created.story_id)
    with pytest.raises(ApiError) as gone:
        api_client.get_story(created.story_id)
    assert (gone.value.status, gone.value.code) == (404, "story_deleted")
    assert api_client.list_stories() == []
    assert api_client.list_stories(include_deleted=True)[0].deleted_at_utc is not None
    assert api_client.restore_story(created.story_id).deleted_at_utc is None


def test_a_named_device_is_kept_with_each_story_api_write(api_client: StoryApiClient) -> None:
    api_client.device = "jo-laptop"
    created = api_client.create_story("Alice", blueprint())
    edited = blueprint().model_copy(update={"premise": "A second premise."})
    api_client.update_story(created.story_id, "Alice", edited)
    api_client.device = None
    api_client.update_story(created.story_id, "Alice", blueprint())
    api_client.device = "Kāra's desktop"
    api_client.restore_revision(created.story_id, 2)
    assert [(r.revision, r.device) for r in api_client.revisions(created.story_id)] == [
        (4, "Kāra's desktop"),
        (3, None),
        (2, "jo-laptop"),
        (1, "jo-laptop"),
    ]


def test_an_error_carries_the_servers_diagnostics_and_stores_nothing(
    api_client: StoryApiClient,
) -> None:
    bad = json.loads((FIXTURES / "alice-in-wonderland.json").read_text("utf-8"))
    bad["chapters"][1]["prerequisites"] = ["no-such-chapter"]
    with pytest.raises(ApiError) as refused:
        api_client.create_story("Bad", bad)
    error = refused.value
    assert (error.status, error.code) == (422, "blueprint_invalid")
    assert error.diagnostics
    assert error.diagnostics[0].path.startswith("blueprint.chapters")
    assert error.request_id
    assert isinstance(error.details, dict)
    assert error.details["code"] == "blueprint_invalid"
    assert api_client.list_stories() == []


def test_a_wrong_password_and_a_revoked_token_are_401(live_url: str) -> None:
    with StoryApiClient(live_url) as story_client:
        email = f"w{uuid.uuid4().hex[:10]}@example.org"
        story_client.register(email, PASSWORD, "W")
        with pytest.raises(ApiError) as wrong:
            story_client.login(email, PASSWORD + "!")
        assert wrong.value.status == 401
        story_client.login(email, PASSWORD)
        token = story_client.token
        story_client.logout()
        story_client.token = token
        with pytest.raises(ApiError) as revoked:
            story_client.me()
        assert revoked.value.status == 401


def test_a_push_sent_twice_is_one_revision(api_client: StoryApiClient) -> None:
    created = api_client.create_story("Alice", blueprint())
    story = created.to_story()
    edited = story.model_copy(
        update={"blueprint": story.blueprint.model_copy(update={"premise": "Edited once."})}
    )
    change = WireChange(
        change_id=uuid.uuid4(), story_id=story.story_id, base_revision=1, patch=diff(story, edited)
    )
    first = api_client.push([change])
    again = api_client.push([change])
    assert first.results[0].status == "applied"
    assert again.results[0].revision == first.results[0].revision == 2
    assert [r.revision for r in api_client.revisions(story.story_id)] == [2, 1]
    assert api_client.get_story(story.story_id).blueprint.premise == "Edited once."


def test_no_answer_is_retried_with_backoff_then_a_transport_error() -> None:
    waits: list[float] = []
    policy = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.02)
    # Port 9 on loopback: nothing listens there, the connection is refused at once.
    with StoryApiClient("http://127.0.0.1:9", retry=policy, sleep=waits.append) as unreachable:
        with pytest.raises(TransportError) as failed:
            unreachable.me()
        assert failed.value.attempts == 3
        assert len(waits) == 2
        assert all(0 <= wait <= 0.02 for wait in waits)
        waits.clear()
        with pytest.raises(TransportError) as once:
            unreachable.create_story("Never twice", {})
        assert once.value.attempts == 1  # a create is never repeated: it could make two stories
        assert waits == []


def test_the_async_client_speaks_the_same_api(live_url: str) -> None:
    async def scenario() -> None:
        async with AsyncStoryApiClient(live_url) as story_client:
            email = f"a{uuid.uuid4().hex[:10]}@example.org"
            await story_client.register(email, PASSWORD, "Async")
            await story_client.login(email, PASSWORD)
            created = await story_client.create_story("Async", blueprint())
            fetched = await story_client.get_story(created.story_id)
            assert fetched.revision == 1
            pulled = await story_client.pull(None)
            assert [c.story_id for c in pulled.changes] == [created.story_id]
            with pytest.raises(ApiError) as missing:
                await story_client.get_story(uuid.uuid4())
            assert missing.value.code == "story_not_found"
            engine = SyncEngine()
            await sync_async(story_client, engine)
            story = engine.stories()[created.story_id]
            engine.edit(story.model_copy(update={"title": "Async, edited"}))
            report = await sync_async(story_client, engine)
            assert report.rejected == []
            assert (await story_client.get_story(created.story_id)).title == "Async, edited"
            assert engine.outgoing() == []

    asyncio.run(scenario())
