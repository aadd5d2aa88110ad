"""Never losing an edit: commit-before-reply, storage quota failures, two tabs on one story."""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

from story_gen.core import Story

if TYPE_CHECKING:
    from tests.browser.conftest import MemoryWorld, Tab, World


async def _story(tab: Tab, **args: Any) -> dict[str, Any]:
    state: dict[str, Any] = await tab.call("story.create", **args)
    return state


async def _edit(tab: Tab, story_id: str, op: dict[str, Any], base: int = 0) -> dict[str, Any]:
    state: dict[str, Any] = await tab.call(
        "story.apply_edit", story_id=story_id, base_revision=base, op=op
    )
    return state


async def _stored(world: World, story_id: str) -> Story:
    stored = await world.stored_story(story_id)
    assert stored is not None
    return Story.model_validate_json(stored["story_json"])


def test_the_reply_says_saved_only_after_the_commit(memory_world: MemoryWorld) -> None:
    # In memory, where a commit can be held "in flight" with a gate.
    world = memory_world

    async def body() -> None:
        tab = await world.started_tab()
        state = await _story(tab, title="Gated")
        database = world.database
        gate = asyncio.Event()
        database.commit_gate = gate
        pending = asyncio.ensure_future(
            _edit(tab, state["story_id"], {"op": "set_premise", "value": "In flight."})
        )
        for _ in range(20):
            await asyncio.sleep(0)
        assert not pending.done()  # no reply while the write is not committed
        assert (await _stored(world, state["story_id"])).blueprint.premise == ""
        gate.set()
        reply = await pending
        assert reply["saved"] is True
        assert database.commits[-1] == (state["story_id"], reply["revision"])
        assert (await _stored(world, state["story_id"])).blueprint.premise == "In flight."

    world.run(body())


def test_a_quota_error_replies_storage_quota_and_keeps_the_edit(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        state = await _story(tab, title="Full disk")
        story_id = state["story_id"]
        world.fail_writes_with_quota()
        error = await tab.fails(
            "story.apply_edit",
            story_id=story_id,
            base_revision=1,
            op={"op": "set_premise", "value": "Typed while the disk was full."},
        )
        assert error.type == "storage.quota"
        assert "full" in error.message
        pushed = tab.pushed("storage.error")
        assert pushed
        assert pushed[-1]["type"] == "storage.quota"
        assert pushed[-1]["story_id"] == story_id
        # Nothing half-written, and the edit is still here, flagged unsaved.
        assert (await _stored(world, story_id)).blueprint.premise == ""
        opened = await tab.call("story.open", story_id=story_id)
        assert opened["state"]["saved"] is False
        assert opened["state"]["story"]["blueprint"]["premise"] == "Typed while the disk was full."
        assert "full" in opened["state"]["unsaved_reason"]
        listed = await tab.call("library.list")
        assert listed["unsaved_story_ids"] == [story_id]
        # Another edit while still full: both kept.
        again = await tab.fails(
            "story.apply_edit",
            story_id=story_id,
            base_revision=1,
            op={"op": "add_canon_rule", "value": "Nothing is lost."},
        )
        assert again.type == "storage.quota"
        retry = await tab.fails("story.save", story_id=story_id)
        assert retry.type == "storage.quota"
        # Space is freed: the next save stores every kept edit at once.
        world.clear_faults()
        saved = await tab.call("story.save", story_id=story_id)
        assert saved["saved"] is True
        assert saved["revision"] == 2
        stored = await _stored(world, story_id)
        assert stored.blueprint.premise == "Typed while the disk was full."
        assert stored.blueprint.canon_rules == ["Nothing is lost."]
        listed = await tab.call("library.list")
        assert listed["unsaved_story_ids"] == []

    world.run(body())


def test_a_kept_edit_is_retried_by_the_next_edit(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        story_id = (await _story(tab, title="Retry"))["story_id"]
        world.fail_writes_with_quota()
        await tab.fails(
            "story.apply_edit",
            story_id=story_id,
            base_revision=1,
            op={"op": "set_premise", "value": "First."},
        )
        world.clear_faults()
        state = await _edit(tab, story_id, {"op": "add_canon_rule", "value": "Second."}, 1)
        assert state["saved"] is True
        stored = await _stored(world, story_id)
        assert stored.blueprint.premise == "First."
        assert stored.blueprint.canon_rules == ["Second."]

    world.run(body())


def test_two_tabs_editing_one_story_keep_both_edits(world: World) -> None:
    async def body() -> None:
        a = await world.started_tab()
        b = await world.started_tab()
        story = await _story(a, demo="a-christmas-carol")
        story_id = story["story_id"]
        await b.call("story.open", story_id=story_id)
        chapters = story["story"]["blueprint"]["chapters"]
        first, last = chapters[0]["key"], chapters[-1]["key"]
        # Both tabs edit revision 1 before hearing of each other (no settle in between).
        from_a = await _edit(
            a,
            story_id,
            {
                "op": "set_field",
                "kind": "chapter",
                "key": first,
                "field": "objective",
                "value": "Tab A's objective.",
            },
            1,
        )
        from_b = await _edit(
            b,
            story_id,
            {
                "op": "set_field",
                "kind": "chapter",
                "key": last,
                "field": "title",
                "value": "Tab B's title",
            },
            1,
        )
        assert from_a["merged"] is False
        assert from_b["merged"] is True  # b lost the race, merged, stored the merge
        assert from_b["revision"] == 3
        stored = await _stored(world, story_id)
        assert stored.blueprint.chapters[0].objective == "Tab A's objective."
        assert stored.blueprint.chapters[-1].title == "Tab B's title"
        assert b.pushed("story.changed")
        # Tab A hears of it and reloads the merged head.
        await world.settle()
        changed = a.pushed("story.changed")
        assert changed
        assert changed[-1]["revision"] == 3
        assert changed[-1]["story"]["blueprint"]["chapters"][-1]["title"] == "Tab B's title"
        reopened = await a.call("story.open", story_id=story_id)
        assert reopened["state"]["revision"] == 3
        assert reopened["state"]["story"]["blueprint"] == json.loads(
            stored.blueprint.model_dump_json()
        )

    world.run(body())


def test_same_field_in_two_tabs_keeps_both_values_in_a_conflict(world: World) -> None:
    async def body() -> None:
        a = await world.started_tab()
        b = await world.started_tab()
        story_id = (await _story(a, title="Contested"))["story_id"]
        await b.call("story.open", story_id=story_id)
        await _edit(a, story_id, {"op": "set_premise", "value": "A's premise."}, 1)
        merged = await _edit(b, story_id, {"op": "set_premise", "value": "B's premise."}, 1)
        conflicts = merged["story"]["conflicts"]
        assert len(conflicts) == 1
        values = {conflicts[0]["ours"], conflicts[0]["theirs"]}
        assert values == {"A's premise.", "B's premise."}
        # The library badges the story (its summary counts the conflict kept with it).
        listed = (await a.call("library.list"))["stories"]
        assert [s["conflict_count"] for s in listed if s["story_id"] == story_id] == [1]
        resolved = await b.call(
            "conflicts.resolve",
            story_id=story_id,
            conflict_id=conflicts[0]["conflict_id"],
            choice="custom",
            value="Both premises, reconciled.",
        )
        assert resolved["story"]["conflicts"] == []
        assert resolved["story"]["blueprint"]["premise"] == "Both premises, reconciled."
        stored = await _stored(world, story_id)
        assert stored.conflicts == []
        assert stored.blueprint.premise == "Both premises, reconciled."
        listed = (await a.call("library.list"))["stories"]
        assert [s["conflict_count"] for s in listed if s["story_id"] == story_id] == [0]
        missing = await b.fails(
            "conflicts.resolve", story_id=story_id, conflict_id="nope", choice="ours"
        )
        assert missing.type == "conflict.invalid"

    world.run(body())


def test_unsaved_work_merges_with_another_tabs_save(world: World) -> None:
    async def body() -> None:
        a = await world.started_tab()
        b = await world.started_tab()
        story_id = (await _story(a, title="Shared"))["story_id"]
        await b.call("story.open", story_id=story_id)
        world.fail_writes_with_quota()
        await b.fails(
            "story.apply_edit",
            story_id=story_id,
            base_revision=1,
            op={"op": "add_canon_rule", "value": "B's rule, not saved yet."},
        )
        world.clear_faults()
        await _edit(a, story_id, {"op": "set_premise", "value": "A's premise."}, 1)
        await world.settle()  # b hears of a's save: merges its kept edit and stores the merge
        stored = await _stored(world, story_id)
        assert stored.blueprint.premise == "A's premise."
        assert stored.blueprint.canon_rules == ["B's rule, not saved yet."]
        state = (await b.call("story.open", story_id=story_id))["state"]
        assert state["saved"] is True

    world.run(body())


def test_opening_again_catches_up_with_other_tabs_even_without_a_notice(world: World) -> None:
    async def body() -> None:
        a = await world.started_tab()
        b = await world.started_tab()
        story_id = (await _story(a, title="Catch up"))["story_id"]
        await b.call("story.open", story_id=story_id)
        b.studio.close()  # b hears nothing from now on, like a tab whose notice was lost
        await _edit(a, story_id, {"op": "set_premise", "value": "Written in tab A."}, 1)
        reopened = await b.call("story.open", story_id=story_id)
        assert reopened["state"]["revision"] == 2
        assert reopened["state"]["story"]["blueprint"]["premise"] == "Written in tab A."
        await a.call("story.delete", story_id=story_id)
        gone = await b.fails("story.open", story_id=story_id)
        assert gone.type == "story.not_found"

    world.run(body())


def test_idle_returns_when_a_finished_task_is_not_yet_discarded(world: World) -> None:
    """A notice's task that has finished but whose done callback has not run yet (the order in
    which Pyodide's loop left it once) must not keep idle() waiting."""

    async def body() -> None:
        tab = await world.started_tab()
        await tab.studio.idle()

        async def handled() -> None:
            return None

        finished = asyncio.ensure_future(handled())
        await finished
        tab.studio._tasks.add(finished)  # the state the race leaves
        # A hang guard, not a timing check: the old loop never returned.
        await asyncio.wait_for(tab.studio.idle(), timeout=10)
        assert not tab.studio._tasks

    world.run(body())
