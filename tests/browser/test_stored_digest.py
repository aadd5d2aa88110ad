"""The service stores a digest beside each story and opens a story whose digest matches
without validating it again; a changed text (or an older record without a digest) is opened
the full way, so what another writer changed is validated
(docs/adr/0125-stored-digest-skips-revalidation.md)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from story_gen.core.stored import story_digest

if TYPE_CHECKING:
    from tests.browser.conftest import World


async def _stored(world: World, story_id: str) -> tuple[dict[str, Any], str]:
    record = await world.stored_story(story_id)
    assert record is not None
    return record["summary"], record["story_json"]


async def _rewrite(world: World, story_id: str, summary: dict[str, Any], text: str) -> None:
    """Another writer replaces the story's text and keeps its summary (and old digest)."""
    host = world.new_host()
    await host.open()
    outcome = await host.put_story_if_revision(
        story_id,
        summary["revision"],
        json.dumps({**summary, "revision": summary["revision"] + 1}),
        text,
    )
    assert json.loads(outcome)["ok"]


def test_a_saved_story_carries_the_digest_of_its_text(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        state = await tab.call("story.create", demo="alice-in-wonderland")
        story_id = state["story"]["story_id"]
        summary, text = await _stored(world, story_id)
        assert summary["story_digest"] == story_digest(text)
        reader = await world.started_tab()  # a new tab opens it from storage
        opened = await reader.call("story.open", story_id=story_id)
        assert opened["state"]["story"] == state["story"]
        assert opened["state"]["diagnostics"] == state["diagnostics"]

    world.run(body())


def test_a_text_changed_behind_the_digest_is_validated(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        state = await tab.call("story.create", demo="alice-in-wonderland")
        story_id = state["story"]["story_id"]
        summary, text = await _stored(world, story_id)
        first = state["story"]["blueprint"]["chapters"][0]
        # Untrimmed text: validation strips it; a trusted open would keep the spaces.
        changed = text.replace(
            json.dumps(first["title"]), json.dumps(f"  {first['title']} again  "), 1
        )
        assert changed != text
        await _rewrite(world, story_id, summary, changed)
        reader = await world.started_tab()
        opened = await reader.call("story.open", story_id=story_id)
        assert opened["state"]["story"]["blueprint"]["chapters"][0]["title"] == (
            f"{first['title']} again"
        )

    world.run(body())


def test_an_invalid_text_behind_the_digest_is_refused_not_trusted(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        state = await tab.call("story.create", demo="alice-in-wonderland")
        story_id = state["story"]["story_id"]
        summary, text = await _stored(world, story_id)
        key = state["story"]["blueprint"]["chapters"][0]["key"]
        broken = text.replace(f'"key": "{key}"', '"key": "Not a key!"', 1)
        assert broken != text
        await _rewrite(world, story_id, summary, broken)
        reader = await world.started_tab()
        error = await reader.fails("story.open", story_id=story_id)
        assert "ValidationError" in error.message

    world.run(body())
