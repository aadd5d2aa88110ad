"""Searching every text: a word of an objective or a draft is found, with where it matched."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from hypothesis import given, settings
from hypothesis import strategies as st

from story_gen.browser._demos import demo_blueprint
from story_gen.browser._search import search_story
from story_gen.core import Story

if TYPE_CHECKING:
    from tests.browser.conftest import World

ALICE = Story.new(
    story_id=uuid.UUID(int=1),
    title="Alice",
    blueprint=demo_blueprint("alice-in-wonderland"),
    now=datetime(2026, 1, 1, tzinfo=UTC),
)


def test_a_word_of_an_objective_is_found_with_its_place() -> None:
    chapter = ALICE.blueprint.chapters[2]
    word = chapter.objective.split()[3]
    hits = search_story(ALICE, word.upper(), limit=100)
    objective = next(h for h in hits if h.path == "chapters[2].objective")
    assert objective.where.startswith(f"Chapter “{chapter.title}”")
    assert objective.where.endswith("Objective")
    found = objective.excerpt[objective.match_start : objective.match_start + len(word)]
    assert found.lower() == word.lower()
    assert search_story(ALICE, "no such word anywhere", limit=100) == []
    assert search_story(ALICE, "   ", limit=100) == []


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_every_hit_shows_the_match_and_every_text_holding_it_is_found(data: Any) -> None:
    texts = [c.objective for c in ALICE.blueprint.chapters if c.objective]
    text = data.draw(st.sampled_from(texts))
    start = data.draw(st.integers(0, len(text) - 1))
    needle = text[start : start + data.draw(st.integers(1, 12))]
    if not needle.strip():
        return
    hits = search_story(ALICE, needle, limit=10_000)
    for hit in hits:
        shown = hit.excerpt[hit.match_start : hit.match_start + hit.match_length]
        assert shown.lower() == needle.strip().lower()
    paths = {h.path for h in hits}
    for i, chapter in enumerate(ALICE.blueprint.chapters):
        if needle.strip().lower() in chapter.objective.lower():
            assert f"chapters[{i}].objective" in paths


def test_library_search_covers_every_live_story_and_says_when_it_stopped(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        listed = await tab.call("library.list")
        carol = next(s for s in listed["stories"] if s["title"] == "A Christmas Carol")
        found = await tab.call("library.search", query="scrooge")
        titles = {h["story_title"] for h in found["hits"]}
        assert titles == {"A Christmas Carol"}
        assert all(h["story_id"] == carol["story_id"] for h in found["hits"])
        assert found["truncated"] is False
        some = await tab.call("library.search", query="e", limit=3)
        assert len(some["hits"]) == 3
        assert some["truncated"] is True
        # A story in the trash is not searched.
        await tab.call("story.delete", story_id=carol["story_id"])
        assert (await tab.call("library.search", query="scrooge"))["hits"] == []
        empty = await tab.fails("library.search", query="  ")
        assert empty.type

    world.run(body())
