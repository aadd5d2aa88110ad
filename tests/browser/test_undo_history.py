"""Undo history kept in IndexedDB: it survives a reload, is bounded, groups typing the way a
writer expects, names its steps in story terms, and never overwrites another tab's work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from story_gen.browser._history import HISTORY_LIMIT, History, StepHead, StoredStep, starts_a_word
from story_gen.browser.memory_host import MemoryHost
from story_gen.core import StoryBlueprint, diff
from story_gen.core import edits as core_edits
from story_gen.core.patch import invert

if TYPE_CHECKING:
    from tests.browser.conftest import MemoryWorld, Tab, World


async def _alice(tab: Tab) -> dict[str, Any]:
    state: dict[str, Any] = await tab.call("story.create", demo="alice-in-wonderland")
    return state


async def _send(
    tab: Tab, story_id: str, op: dict[str, Any], *, more: bool = False
) -> dict[str, Any]:
    reply: dict[str, Any] = await tab.call(
        "story.apply_edit",
        story_id=story_id,
        base_revision=0,
        op=op,
        continues_typing=more,
    )
    return reply


async def _undo(tab: Tab, story_id: str, *, redo: bool = False) -> dict[str, Any]:
    reply: dict[str, Any] = await tab.call(
        "story.redo" if redo else "story.undo", story_id=story_id
    )
    return reply


def _draft(chapter: str, text: str) -> dict[str, Any]:
    return {
        "op": "set_field",
        "kind": "chapter",
        "key": chapter,
        "field": "draft_text",
        "value": text,
    }


def test_history_survives_reopening_the_store(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        state = await _alice(tab)
        story_id = state["story_id"]
        original = state["story"]["blueprint"]["premise"]
        await _send(tab, story_id, {"op": "set_premise", "value": "One."})
        await _send(tab, story_id, {"op": "add_canon_rule", "value": "Cats may grin."})
        tab.close()

        # A reload: a new service on a new connection to the same storage.
        reloaded = await world.started_tab()
        opened = await reloaded.call("story.open", story_id=story_id)
        history = opened["state"]["history"]
        assert history == {
            "can_undo": True,
            "can_redo": False,
            "undo_label": "canon rules",
            "redo_label": None,
        }
        undone = await _undo(reloaded, story_id)
        assert "Cats may grin." not in undone["story"]["blueprint"]["canon_rules"]
        undone = await _undo(reloaded, story_id)
        assert undone["story"]["blueprint"]["premise"] == original
        assert undone["history"]["can_undo"] is False
        assert undone["history"]["redo_label"] == "premise"
        reloaded.close()

        # The undone steps are redo steps after the next reload.
        again = await world.started_tab()
        await again.call("story.open", story_id=story_id)
        redone = await _undo(again, story_id, redo=True)
        assert redone["story"]["blueprint"]["premise"] == "One."
        assert redone["history"]["redo_label"] == "canon rules"

    world.run(body())


def test_an_edit_after_a_reload_stacks_on_the_stored_steps(world: World) -> None:
    # Opening reads only the stored steps' heads; a new step goes on top of them and every
    # Undo, the new step's and the stored ones', still applies its own patch.
    async def body() -> None:
        tab = await world.started_tab()
        state = await _alice(tab)
        story_id = state["story_id"]
        original = state["story"]["blueprint"]["premise"]
        await _send(tab, story_id, {"op": "set_premise", "value": "One."})
        await _send(tab, story_id, {"op": "add_canon_rule", "value": "Cats may grin."})
        tab.close()

        reloaded = await world.started_tab()
        await reloaded.call("story.open", story_id=story_id)
        await _send(reloaded, story_id, {"op": "set_premise", "value": "Two."})
        first = await _undo(reloaded, story_id)
        assert first["story"]["blueprint"]["premise"] == "One."
        second = await _undo(reloaded, story_id)
        assert "Cats may grin." not in second["story"]["blueprint"]["canon_rules"]
        third = await _undo(reloaded, story_id)
        assert third["story"]["blueprint"]["premise"] == original
        assert third["history"]["can_undo"] is False
        redone = await _undo(reloaded, story_id, redo=True)
        assert redone["story"]["blueprint"]["premise"] == "One."

    world.run(body())


def _stored(bp: StoryBlueprint, values: list[str]) -> list[StoredStep]:
    steps = []
    for seq, value in enumerate(values, start=1):
        edit = core_edits.set_premise(bp, value)
        inverse = invert(bp, edit.patch, after=edit.document)
        steps.append(
            StoredStep(
                story_id=_STORY,
                seq=seq,
                done=True,
                label="premise",
                patch=edit.patch,
                inverse=inverse,
            )
        )
        bp = edit.document
    return steps


_STORY = __import__("uuid").UUID("00000000-0000-4000-8000-000000000001")


def test_heads_are_filled_from_storage_and_a_vanished_step_leaves_the_stack() -> None:
    stored = _stored(StoryBlueprint.model_validate({"premise": "0"}), ["1", "2", "3"])
    heads = [StepHead.model_validate(step.model_dump()) for step in stored]
    history = History.of(_STORY, heads)
    assert history.partial
    assert history.state().undo_label == "premise"
    with pytest.raises(AssertionError):
        history.top(redo=False)
    # Another tab dropped step 2 since this tab opened the story.
    history.fill([stored[0], stored[2]])
    assert all(isinstance(step, StoredStep) for step in history.undo)
    assert history.undo == [stored[0], stored[2]]
    assert history.top(redo=False) == stored[2]


def test_a_new_edit_after_undo_drops_the_stored_redo_steps(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        story_id = (await _alice(tab))["story_id"]
        await _send(tab, story_id, {"op": "set_premise", "value": "One."})
        await _undo(tab, story_id)
        await _send(tab, story_id, {"op": "add_canon_rule", "value": "New rule."})
        tab.close()
        reloaded = await world.started_tab()
        opened = await reloaded.call("story.open", story_id=story_id)
        assert opened["state"]["history"]["can_redo"] is False
        assert opened["state"]["history"]["undo_label"] == "canon rules"

    world.run(body())


def test_history_keeps_the_last_500_steps() -> None:
    bp = StoryBlueprint.model_validate({"premise": "0"})
    history = History(story_id=__import__("uuid").uuid4())
    now = datetime(2026, 1, 1, tzinfo=UTC)
    deleted: set[int] = set()
    dropped = []
    for n in range(1, HISTORY_LIMIT + 6):
        edit = core_edits.set_premise(bp, str(n))
        write = history.record(
            "premise",
            edit.patch,
            invert(bp, edit.patch, after=edit.document),
            before=bp,
            after=edit.document,
            typing=None,
            now=now,
        )
        deleted |= write.delete
        bp = edit.document
        if n <= 5:
            dropped.append(history.undo[-1])
        elif n == 6:
            kept = history.undo[-1]
    assert len(history.undo) == HISTORY_LIMIT
    assert deleted == {step.seq for step in dropped}
    assert history.undo[0] == kept


def test_the_stored_history_is_bounded_too(memory_world: MemoryWorld) -> None:
    async def body() -> None:
        tab = await memory_world.started_tab()
        story_id = (await tab.call("story.create", title="Many steps"))["story_id"]
        for n in range(HISTORY_LIMIT + 3):
            await _send(tab, story_id, {"op": "set_premise", "value": f"Premise {n}."})
        stored = [key for key in memory_world.database.history if key[0] == story_id]
        assert len(stored) == HISTORY_LIMIT
        tab.close()
        reloaded = await memory_world.started_tab()
        await reloaded.call("story.open", story_id=story_id)
        for _ in range(HISTORY_LIMIT):
            state = await _undo(reloaded, story_id)
        assert state["history"]["can_undo"] is False
        # The oldest three steps are gone: undo stops at the premise they left.
        assert state["story"]["blueprint"]["premise"] == "Premise 2."

    memory_world.run(body())


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def test_typing_is_undone_word_by_word_and_at_pauses(memory_world: MemoryWorld) -> None:
    async def body() -> None:
        clock = Clock()
        tab = memory_world.tab(MemoryHost(memory_world.database, clock=clock))
        await tab.start()
        state = await _alice(tab)
        story_id = state["story_id"]
        chapter = state["story"]["blueprint"]["chapters"][0]
        key, title = chapter["key"], chapter["title"]
        sends = ["T", "Th", "The", "The ", "The s", "The st", "The sto", "The stor", "The story"]
        for n, text in enumerate(sends):
            clock.wait(0.2)
            await _send(tab, story_id, _draft(key, text), more=n > 0)
        clock.wait(3)  # a pause ends the step even mid-word
        await _send(tab, story_id, _draft(key, "The storyline"), more=True)
        # Backspacing within the pause joins the step.
        clock.wait(0.2)
        reply = await _send(tab, story_id, _draft(key, "The storyli"), more=True)
        assert reply["history"]["undo_label"] == f"draft of '{title}'"

        drafts = []
        while True:
            undone = await _undo(tab, story_id)
            drafts.append(undone["story"]["blueprint"]["chapters"][0]["draft_text"])
            if not undone["history"]["can_undo"] or drafts[-1] == chapter["draft_text"]:
                break
        assert drafts[:3] == ["The story", "The", chapter["draft_text"]]

    memory_world.run(body())


def test_one_undo_never_takes_back_a_long_draft(memory_world: MemoryWorld) -> None:
    async def body() -> None:
        clock = Clock()
        tab = memory_world.tab(MemoryHost(memory_world.database, clock=clock))
        await tab.start()
        story_id = (await tab.call("story.create", title="Draft"))["story_id"]
        await _send(
            tab,
            story_id,
            {
                "op": "add_entity",
                "kind": "chapter",
                "entity": {"key": "storm", "title": "The Storm"},
            },
        )
        text = "It was a dark and stormy night and the rain fell in torrents"
        for n in range(1, len(text) + 1):
            clock.wait(0.1)
            await _send(tab, story_id, _draft("storm", text[:n]), more=n > 1)
        undone = await _undo(tab, story_id)
        assert undone["story"]["blueprint"]["chapters"][0]["draft_text"] == (
            "It was a dark and stormy night and the rain fell in"
        )

    memory_world.run(body())


@pytest.mark.parametrize(
    ("old", "new", "starts"),
    [
        ("The", "The ", False),  # a space ends a word, it starts none
        ("The ", "The s", True),
        ("The", "The s", True),  # sent together (typed while a send was in flight)
        ("The s", "The st", False),
        ("The story", "The sto", False),  # deleting
        ("", "T", True),  # the start of a text
        ("The end", "The ernd", False),  # inside a word
        ("The\nend", "The\n\nx end", True),
        ("The\u00a0", "The\u00a0x", True),  # no-break space is whitespace
    ],
)
def test_word_boundaries(old: str, new: str, starts: bool) -> None:
    assert starts_a_word(old, new) is starts


def test_undo_keeps_another_tabs_change_elsewhere(world: World) -> None:
    async def body() -> None:
        mine = await world.started_tab()
        state = await _alice(mine)
        story_id = state["story_id"]
        other = await world.started_tab()
        await other.call("story.open", story_id=story_id)  # open before this tab's step
        await _send(mine, story_id, {"op": "set_premise", "value": "Mine."})
        await world.settle()
        await _send(other, story_id, {"op": "add_canon_rule", "value": "Their rule."})
        await world.settle()

        undone = await _undo(mine, story_id)
        blueprint = undone["story"]["blueprint"]
        assert blueprint["premise"] == state["story"]["blueprint"]["premise"]
        assert blueprint["canon_rules"][-1] == "Their rule."
        mine.close()
        other.close()

        # Both tabs' steps are the story's history after a reload (neither overwrote the
        # other's): the rule's step is still there to undo, the premise's to redo.
        reloaded = await world.started_tab()
        opened = await reloaded.call("story.open", story_id=story_id)
        assert opened["state"]["history"]["undo_label"] == "canon rules"
        assert opened["state"]["history"]["redo_label"] == "premise"

    world.run(body())


def test_undo_refuses_to_overwrite_another_tabs_change(world: World) -> None:
    async def body() -> None:
        mine = await world.started_tab()
        state = await _alice(mine)
        story_id = state["story_id"]
        await _send(mine, story_id, {"op": "set_premise", "value": "Mine."})
        other = await world.started_tab()
        await other.call("story.open", story_id=story_id)
        theirs = await _send(other, story_id, {"op": "set_premise", "value": "Theirs."})
        await world.settle()

        refused = await mine.fails("story.undo", story_id=story_id)
        assert refused.type == "history.diverged"
        assert "premise" in refused.message
        # Nothing changed, in this tab or in storage, and the step is gone from the history.
        opened = await mine.call("story.open", story_id=story_id)
        assert opened["state"]["story"]["blueprint"]["premise"] == "Theirs."
        assert opened["state"]["revision"] == theirs["revision"]
        assert opened["state"]["history"]["can_undo"] is False
        stored = await world.stored_story(story_id)
        assert stored is not None
        assert stored["summary"]["revision"] == theirs["revision"]

    world.run(body())


def test_the_stored_steps_are_the_edit_and_its_inverse(memory_world: MemoryWorld) -> None:
    async def body() -> None:
        tab = await memory_world.started_tab()
        state = await _alice(tab)
        story_id = state["story_id"]
        before = StoryBlueprint.model_validate(state["story"]["blueprint"])
        after_state = await _send(
            tab, story_id, {"op": "remove_entity", "kind": "theme", "key": "identity"}
        )
        after = StoryBlueprint.model_validate(after_state["story"]["blueprint"])
        [step] = [s for k, s in memory_world.database.history.items() if k[0] == story_id]
        assert step["label"] == "deleting theme 'identity'"
        assert step["patch"] == diff(before, after).model_dump(mode="json")
        assert step["inverse"] == diff(after, before).model_dump(mode="json")

    memory_world.run(body())


def test_a_send_that_ends_a_word_and_starts_the_next_is_split_there(
    memory_world: MemoryWorld,
) -> None:
    async def body() -> None:
        clock = Clock()
        tab = memory_world.tab(MemoryHost(memory_world.database, clock=clock))
        await tab.start()
        state = await _alice(tab)
        story_id = state["story_id"]
        chapter = state["story"]["blueprint"]["chapters"][0]
        key = chapter["key"]
        # Typed while a send was in flight: one send carries "ry", a space and "te".
        for n, text in enumerate(["The sto", "The story te", "The story tel"]):
            clock.wait(0.2)
            await _send(tab, story_id, _draft(key, text), more=n > 0)
        undone = await _undo(tab, story_id)
        assert undone["story"]["blueprint"]["chapters"][0]["draft_text"] == "The story"
        undone = await _undo(tab, story_id)
        assert undone["story"]["blueprint"]["chapters"][0]["draft_text"] == chapter["draft_text"]
        # The same for a one-line text (a title): the split is stored, so it survives a reload.
        title = {"op": "set_field", "kind": "chapter", "key": key, "field": "title"}
        for n, text in enumerate(["Down", "Down the rab"]):
            clock.wait(0.2)
            await _send(tab, story_id, {**title, "value": text}, more=n > 0)
        tab.close()
        reloaded = await memory_world.started_tab()
        await reloaded.call("story.open", story_id=story_id)
        titles = []
        for _ in range(2):
            titles.append(
                (await _undo(reloaded, story_id))["story"]["blueprint"]["chapters"][0]["title"]
            )
        # The send " the rab" held a whole word: it went with the open step, "rab" began one.
        assert titles == ["Down the", chapter["title"]]

    memory_world.run(body())


def test_typing_a_canon_rule_is_one_step_per_word(memory_world: MemoryWorld) -> None:
    async def body() -> None:
        clock = Clock()
        tab = memory_world.tab(MemoryHost(memory_world.database, clock=clock))
        await tab.start()
        state = await _alice(tab)
        story_id = state["story_id"]
        rules = state["story"]["blueprint"]["canon_rules"]
        for n, text in enumerate(["C", "Ca", "Cats", "Cats g", "Cats grin"]):
            clock.wait(0.2)
            await _send(
                tab, story_id, {"op": "set_canon_rule", "index": 0, "value": text}, more=n > 0
            )
        undone = await _undo(tab, story_id)
        assert undone["story"]["blueprint"]["canon_rules"][0] == "Cats"
        assert undone["history"]["undo_label"] == "canon rules"
        undone = await _undo(tab, story_id)
        assert undone["story"]["blueprint"]["canon_rules"] == rules

    memory_world.run(body())
