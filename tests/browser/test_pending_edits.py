"""Edits typed before the core was ready (IndexedDB store ``pending``): applied through the core
in order on start (and by ``pending.apply``), stored with their ids, never applied twice."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from story_gen.core import Story

if TYPE_CHECKING:
    from tests.browser.conftest import Tab, World


def _premise(value: str) -> dict[str, Any]:
    return {"op": "set_premise", "value": value}


def _objective(key: str, value: str) -> dict[str, Any]:
    return {"op": "set_field", "kind": "chapter", "key": key, "field": "objective", "value": value}


async def _story_with_chapter(tab: Tab, title: str = "Queued") -> str:
    state = await tab.call("story.create", title=title)
    story_id: str = state["story_id"]
    chapter = {"key": "storm", "title": "The Storm", "objective": "Start it."}
    await tab.call(
        "story.apply_edit",
        story_id=story_id,
        base_revision=state["revision"],
        op={"op": "add_entity", "kind": "chapter", "entity": chapter},
    )
    return story_id


async def _stored(world: World, story_id: str) -> tuple[Story, int, int]:
    stored = await world.stored_story(story_id)
    assert stored is not None
    story = Story.model_validate_json(stored["story_json"])
    return story, int(stored["summary"]["revision"]), int(stored["pending_through"])


def test_edits_queued_before_start_are_applied_in_order_and_removed(world: World) -> None:
    async def body() -> None:
        first = await world.started_tab()
        story_id = await _story_with_chapter(first)
        first.close()
        # Typed while the next visit's core was starting: premise twice, then an objective.
        await world.queue_pending(story_id, _premise("A city"))
        await world.queue_pending(story_id, _objective("storm", "Break the levee."))
        last = await world.queue_pending(story_id, _premise("A city under water"))

        tab = await world.started_tab()
        opened = await tab.call("story.open", story_id=story_id)

        story, _, through = await _stored(world, story_id)
        assert story.blueprint.premise == "A city under water"
        assert story.blueprint.chapters[0].objective == "Break the levee."
        assert through == last
        assert await world.pending() == []
        # Through the core: the diagnostics follow the applied text.
        codes = {d["code"] for d in opened["state"]["diagnostics"]}
        assert "premise.empty" not in codes
        assert opened["state"]["story"]["blueprint"]["premise"] == "A city under water"

    world.run(body())


def test_a_record_left_after_its_story_was_stored_is_not_applied_again(world: World) -> None:
    async def body() -> None:
        first = await world.started_tab()
        story_id = await _story_with_chapter(first)
        first.close()
        await world.queue_pending(story_id, _premise("Typed while starting"))
        records = await world.pending()

        second = await world.started_tab()
        state = await second.call("story.open", story_id=story_id)
        # The writer goes on typing once the core is ready...
        await second.call(
            "story.apply_edit",
            story_id=story_id,
            base_revision=state["state"]["revision"],
            op=_premise("Typed while starting, and after"),
        )
        second.close()
        # ...and a crash put the applied record back (its story was stored with its id).
        await world.restore_pending(records)

        third = await world.started_tab()
        await third.call("pending.apply")
        story, _, _ = await _stored(world, story_id)
        assert story.blueprint.premise == "Typed while starting, and after"
        assert await world.pending() == []

    world.run(body())


def test_pending_apply_takes_edits_queued_while_the_service_ran(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        story_id = await _story_with_chapter(tab)
        other_id = await _story_with_chapter(tab, title="Other")
        await world.queue_pending(story_id, _objective("storm", "One"))
        await world.queue_pending(other_id, _premise("Elsewhere"))
        await world.queue_pending(story_id, _objective("storm", "One, two"))

        result = await tab.call("pending.apply")

        by_story = {r["story_id"]: r for r in result["stories"]}
        assert by_story[story_id] == {
            "story_id": story_id,
            "applied": 2,
            "refused": [],
            "saved": True,
        }
        assert by_story[other_id]["applied"] == 1
        story, _, _ = await _stored(world, story_id)
        assert story.blueprint.chapters[0].objective == "One, two"
        assert (await _stored(world, other_id))[0].blueprint.premise == "Elsewhere"
        assert await world.pending() == []
        # Nothing left: a second call applies nothing and stores nothing.
        revision = (await _stored(world, story_id))[1]
        assert (await tab.call("pending.apply"))["stories"] == []
        assert (await _stored(world, story_id))[1] == revision

    world.run(body())


def test_the_applied_edits_are_one_undo_step(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        story_id = await _story_with_chapter(tab)
        await world.queue_pending(story_id, _objective("storm", "Rain"))
        await world.queue_pending(story_id, _objective("storm", "Rain and wind"))
        await tab.call("pending.apply")

        state = await tab.call("story.open", story_id=story_id)
        assert state["state"]["history"]["undo_label"] == "objective of 'The Storm'"
        undone = await tab.call("story.undo", story_id=story_id)
        assert undone["story"]["blueprint"]["chapters"][0]["objective"] == "Start it."

    world.run(body())


def test_an_edit_the_core_refuses_is_reported_and_the_rest_applied(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        story_id = await _story_with_chapter(tab)
        await world.queue_pending(story_id, _objective("no-such-chapter", "Lost?"))
        await world.queue_pending(story_id, {"op": "set_premise"})  # not an edit op
        await world.queue_pending(story_id, _premise("Kept"))

        [replayed] = (await tab.call("pending.apply"))["stories"]

        assert replayed["applied"] == 1
        assert len(replayed["refused"]) == 2
        assert any('no chapter with the key "no-such-chapter"' in r for r in replayed["refused"])
        assert any("not an edit the studio knows" in r for r in replayed["refused"])
        assert (await _stored(world, story_id))[0].blueprint.premise == "Kept"
        assert await world.pending() == []

    world.run(body())


def test_a_storage_failure_keeps_the_records_until_a_save_succeeds(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        story_id = await _story_with_chapter(tab)
        await world.queue_pending(story_id, _premise("Not lost"))
        world.fail_writes_with_quota()
        try:
            [replayed] = (await tab.call("pending.apply"))["stories"]
        finally:
            world.clear_faults()
        assert replayed["saved"] is False
        assert len(await world.pending()) == 1  # a tab closed now would lose nothing
        assert tab.pushed("storage.error")

        state = await tab.call("story.save", story_id=story_id)

        assert state["saved"] is True
        assert (await _stored(world, story_id))[0].blueprint.premise == "Not lost"
        assert await world.pending() == []

    world.run(body())


def test_edits_of_a_story_emptied_from_the_trash_are_dropped(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        story_id = await _story_with_chapter(tab)
        await tab.call("story.delete", story_id=story_id)
        await tab.call("trash.empty")
        await world.queue_pending(story_id, _premise("Nowhere to go"))

        result = await tab.call("pending.apply")

        assert result["stories"][0]["applied"] == 0
        assert await world.pending() == []
        assert await world.stored_story(story_id) is None

    world.run(body())


TEXTS = st.text(alphabet="ab \n", max_size=6)
TEXT_OPS = st.one_of(
    TEXTS.map(_premise),
    TEXTS.map(lambda text: _objective("storm", text)),
    TEXTS.map(
        lambda text: {
            "op": "set_field",
            "kind": "chapter",
            "key": "storm",
            "field": "draft_text",
            "value": text,
        }
    ),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(TEXT_OPS, max_size=6))
def test_queued_edits_give_the_story_the_same_edits_sent_live_give(
    world: World, ops: list[dict[str, Any]]
) -> None:
    async def body() -> None:
        tab = world.tab()
        await tab.start()
        live_id = await _story_with_chapter(tab, title="Live")
        queued_id = await _story_with_chapter(tab, title="Queued")
        for op in ops:
            await tab.call("story.apply_edit", story_id=live_id, base_revision=0, op=op)
            await world.queue_pending(queued_id, op)
        await tab.call("pending.apply")
        live = (await _stored(world, live_id))[0].blueprint
        queued = (await _stored(world, queued_id))[0].blueprint
        assert queued == live
        assert await world.pending() == []
        tab.close()

    world.run(body())
