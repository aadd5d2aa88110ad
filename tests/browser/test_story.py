"""Editing one story: apply_edit, durability, undo/redo, keys and references, diagnostics."""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

import pytest

from story_gen.core import Story
from story_gen.core.diagnosis import diagnose

if TYPE_CHECKING:
    from story_gen.browser import StoredStory
    from story_gen.browser._records import CasOutcome
    from tests.browser.conftest import Tab, World


async def _alice(tab: Tab) -> dict[str, Any]:
    state: dict[str, Any] = await tab.call("story.create", demo="alice-in-wonderland")
    return state


async def _edit(tab: Tab, state: dict[str, Any], op: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = await tab.call(
        "story.apply_edit", story_id=state["story_id"], base_revision=state["revision"], op=op
    )
    return result


def test_apply_edit_commits_a_new_revision_before_replying(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        state = await _alice(tab)
        chapter = state["story"]["blueprint"]["chapters"][0]["key"]
        edited = await _edit(
            tab,
            state,
            {
                "op": "set_field",
                "kind": "chapter",
                "key": chapter,
                "field": "objective",
                "value": "Fall down the rabbit hole, slowly.",
            },
        )
        assert edited["saved"] is True
        assert edited["revision"] == state["revision"] + 1
        assert edited["history"]["can_undo"] is True
        # What a fresh connection finds is the edit: it was committed before the reply.
        stored = await world.stored_story(state["story_id"])
        assert stored is not None
        assert stored["summary"]["revision"] == edited["revision"]
        story = Story.model_validate_json(stored["story_json"])
        assert story.blueprint.chapters[0].objective == "Fall down the rabbit hole, slowly."
        assert edited["diagnostics"] == [
            d.model_dump(mode="json") for d in diagnose(story.blueprint.model_dump(mode="json"))
        ]

    world.run(body())


def test_a_rejected_edit_changes_nothing(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        state = await _alice(tab)
        cases: list[tuple[dict[str, Any], str]] = [
            (
                {
                    "op": "set_field",
                    "kind": "chapter",
                    "key": "no-such",
                    "field": "title",
                    "value": "x",
                },
                "no chapter",
            ),
            (
                {
                    "op": "set_field",
                    "kind": "theme",
                    "key": "identity",
                    "field": "priority",
                    "value": 99,
                },
                "priority",
            ),
            (
                {
                    "op": "set_field",
                    "kind": "theme",
                    "key": "identity",
                    "field": "key",
                    "value": "x",
                },
                "statement, priority",
            ),
            (
                {
                    "op": "rename_key",
                    "kind": "theme",
                    "old_key": "identity",
                    "new_key": "curiosity",
                },
                "already exists",
            ),
            (
                {"op": "rename_key", "kind": "theme", "old_key": "identity", "new_key": "9 bad"},
                "not a valid key",
            ),
            ({"op": "remove_canon_rule", "index": 99}, "position 99"),
            (
                {"op": "add_entity", "kind": "character", "entity": {"key": "alice"}},
                "already exists",
            ),
            ({"op": "add_canon_rule", "value": "   "}, "cannot be empty"),
        ]
        for op, words in cases:
            error = await tab.fails(
                "story.apply_edit", story_id=state["story_id"], base_revision=1, op=op
            )
            assert error.type == "edit.invalid", op
            assert words in error.message, (op, error.message)
        unknown_op = await tab.fails(
            "story.apply_edit", story_id=state["story_id"], base_revision=1, op={"op": "explode"}
        )
        assert unknown_op.type == "args.invalid"
        stored = await world.stored_story(state["story_id"])
        assert stored is not None
        assert stored["summary"]["revision"] == 1
        assert (
            Story.model_validate_json(stored["story_json"]).model_dump(mode="json")
            == state["story"]
        )

    world.run(body())


def test_a_misspelt_key_gets_a_did_you_mean(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        state = await _alice(tab)
        error = await tab.fails(
            "story.apply_edit",
            story_id=state["story_id"],
            base_revision=1,
            op={
                "op": "set_field",
                "kind": "character",
                "key": "alcie",
                "field": "role",
                "value": "x",
            },
        )
        assert 'Did you mean "alice"?' in error.message

    world.run(body())


def test_undo_and_redo_walk_the_session_history(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        state = await _alice(tab)
        original = state["story"]["blueprint"]["premise"]
        one = await _edit(tab, state, {"op": "set_premise", "value": "One."})
        two = await _edit(tab, one, {"op": "set_premise", "value": "Two."})
        assert two["history"]["undo_label"] == "premise"
        undone = await tab.call("story.undo", story_id=state["story_id"])
        assert undone["story"]["blueprint"]["premise"] == "One."
        assert undone["revision"] == two["revision"] + 1  # undo is stored like any change
        undone = await tab.call("story.undo", story_id=state["story_id"])
        assert undone["story"]["blueprint"]["premise"] == original
        assert undone["history"]["can_undo"] is False
        nothing = await tab.fails("story.undo", story_id=state["story_id"])
        assert nothing.type == "history.empty"
        redone = await tab.call("story.redo", story_id=state["story_id"])
        assert redone["story"]["blueprint"]["premise"] == "One."
        # A new edit clears the redo stack.
        await _edit(tab, redone, {"op": "set_premise", "value": "Three."})
        nothing = await tab.fails("story.redo", story_id=state["story_id"])
        assert nothing.type == "history.empty"
        stored = await world.stored_story(state["story_id"])
        assert stored is not None
        assert Story.model_validate_json(stored["story_json"]).blueprint.premise == "Three."

    world.run(body())


def test_rename_key_preview_then_rename_updates_every_reference(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        state = await _alice(tab)
        bp = state["story"]["blueprint"]
        users = [c["key"] for c in bp["chapters"] if "alice" in c["participating_characters"]]
        related = [h["key"] for h in bp["characters"] if "alice" in h["relationships"]]
        assert users
        assert related
        preview = await tab.call(
            "key.rename_preview",
            story_id=state["story_id"],
            kind="character",
            old_key="alice",
            new_key="  Alice-Liddell ",
        )
        assert preview["problem"] is None
        assert preview["new_key"] == "alice-liddell"
        assert sorted(
            r["owner_key"] for r in preview["changes"] if r["owner_kind"] == "chapter"
        ) == sorted(users)
        assert sorted(
            r["owner_key"] for r in preview["changes"] if r["owner_kind"] == "character"
        ) == sorted(related)
        clash = await tab.call(
            "key.rename_preview",
            story_id=state["story_id"],
            kind="character",
            old_key="alice",
            new_key="queen-of-hearts",
        )
        assert clash["problem"] is not None
        assert "already exists" in clash["problem"]
        renamed = await tab.call(
            "key.rename",
            story_id=state["story_id"],
            kind="character",
            old_key="alice",
            new_key="alice-liddell",
        )
        new_bp = renamed["story"]["blueprint"]
        text = json.dumps(new_bp)
        assert '"alice"' not in text
        for chapter in new_bp["chapters"]:
            if chapter["key"] in users:
                assert "alice-liddell" in chapter["participating_characters"]
        for character in new_bp["characters"]:
            if character["key"] in related:
                assert "alice-liddell" in character["relationships"]
        before_errors = [d for d in state["diagnostics"] if d["severity"] == "error"]
        after_errors = [d for d in renamed["diagnostics"] if d["severity"] == "error"]
        assert len(after_errors) == len(before_errors)  # a rename breaks no reference
        refs = await tab.call(
            "entity.references",
            story_id=state["story_id"],
            kind="character",
            key="alice-liddell",
        )
        assert len(refs["references"]) == len(preview["changes"])
        for ref in refs["references"]:
            assert ref["path"].startswith(("chapters[", "characters["))

    world.run(body())


def test_remove_entity_can_leave_or_remove_references(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        state = await _alice(tab)
        kept = await _edit(tab, state, {"op": "remove_entity", "kind": "theme", "key": "identity"})
        assert any(d["code"] == "chapter.unknown_theme" for d in kept["diagnostics"])
        undone = await tab.call("story.undo", story_id=state["story_id"])
        cleaned = await _edit(
            tab,
            undone,
            {"op": "remove_entity", "kind": "theme", "key": "identity", "remove_references": True},
        )
        assert not any(d["code"] == "chapter.unknown_theme" for d in cleaned["diagnostics"])
        assert "identity" not in json.dumps(cleaned["story"]["blueprint"]["chapters"])

    world.run(body())


def test_rename_title_is_stored(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        state = await _alice(tab)
        renamed = await tab.call("story.rename", story_id=state["story_id"], title="Alice")
        assert renamed["story"]["title"] == "Alice"
        listed = await tab.call("library.list")
        assert "Alice" in [s["title"] for s in listed["stories"]]

    world.run(body())


def test_open_diagnose_plan_export(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        state = await _alice(tab)
        opened = await tab.call("story.open", story_id=state["story_id"])
        assert opened["state"]["story"] == state["story"]
        assert opened["plan"] is not None
        diagnosed = await tab.call("story.diagnose", story_id=state["story_id"])
        assert diagnosed["diagnostics"] == state["diagnostics"]
        as_json = await tab.call("story.export", story_id=state["story_id"], format="json")
        assert as_json["filename"] == "alice-s-adventures-in-wonderland.json"
        assert json.loads(as_json["content"]) == state["story"]["blueprint"]
        as_story = await tab.call("story.export", story_id=state["story_id"], format="story")
        assert json.loads(as_story["content"]) == state["story"]
        as_md = await tab.call("story.export", story_id=state["story_id"], format="md")
        assert as_md["media_type"] == "text/markdown"
        assert "Alice" in as_md["content"]

    world.run(body())


@pytest.mark.parametrize("n", [1, 3])
def test_requests_are_served_one_at_a_time_in_order(world: World, n: int) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        state = await _alice(tab)
        ops = [{"op": "add_canon_rule", "value": f"Rule {i}."} for i in range(n * 4)]
        replies = await asyncio.gather(*(_edit(tab, state, op) for op in ops))
        revisions = [r["revision"] for r in replies]
        assert revisions == list(range(2, 2 + len(ops)))
        final = replies[-1]["story"]["blueprint"]["canon_rules"]
        assert final[-len(ops) :] == [f"Rule {i}." for i in range(n * 4)]

    world.run(body())


def test_while_typing_the_reply_leaves_out_the_story(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        state = await _alice(tab)
        typed = await tab.call(
            "story.apply_edit",
            story_id=state["story_id"],
            base_revision=state["revision"],
            op={"op": "set_premise", "value": "Typed."},
            include_story=False,
        )
        assert typed["story"] is None
        assert typed["saved"] is True
        assert typed["revision"] == state["revision"] + 1
        assert any(d["code"] == "chapter.no_draft" for d in typed["diagnostics"])
        opened = await tab.call("story.open", story_id=state["story_id"])
        assert opened["state"]["story"]["blueprint"]["premise"] == "Typed."

    world.run(body())


def test_keystrokes_sent_as_typed_are_one_undo_step_per_burst(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        state = await _alice(tab)
        story_id = state["story_id"]
        key = state["story"]["blueprint"]["chapters"][0]["key"]
        original = state["story"]["blueprint"]["chapters"][0]["title"]

        async def typed(op: dict[str, Any], *, more: bool) -> dict[str, Any]:
            reply: dict[str, Any] = await tab.call(
                "story.apply_edit",
                story_id=story_id,
                base_revision=state["revision"],
                op=op,
                include_story=False,
                continues_typing=more,
            )
            assert reply["saved"] is True  # every keystroke is committed before the reply
            return reply

        title = {"op": "set_field", "kind": "chapter", "key": key, "field": "title"}
        # Burst 1 in the title, then a burst in the premise, then burst 2 in the title.
        for n, text in enumerate(["D", "Do", "Dow", "Down"]):
            await typed({**title, "value": text}, more=n > 0)
        for n, text in enumerate(["P", "Pr"]):
            await typed({"op": "set_premise", "value": text}, more=n > 0)
        # Continuing a burst in another text starts a step of its own (and so does a new word).
        await typed({**title, "value": "Down w"}, more=True)
        await typed({**title, "value": "Down we"}, more=True)

        async def undo() -> dict[str, Any]:
            undone: dict[str, Any] = await tab.call("story.undo", story_id=story_id)
            return undone

        blueprint = (await undo())["story"]["blueprint"]
        assert blueprint["chapters"][0]["title"] == "Down"
        assert blueprint["premise"] == "Pr"
        blueprint = (await undo())["story"]["blueprint"]
        assert blueprint["premise"] == state["story"]["blueprint"]["premise"]
        blueprint = (await undo())["story"]["blueprint"]
        assert blueprint["chapters"][0]["title"] == original
        redone = await tab.call("story.redo", story_id=story_id)
        assert redone["story"]["blueprint"]["chapters"][0]["title"] == "Down"

        # After an undo, typing never folds into an older step: it starts a new one.
        await typed({**title, "value": "Down!"}, more=True)
        blueprint = (await undo())["story"]["blueprint"]
        assert blueprint["chapters"][0]["title"] == "Down"

    world.run(body())


def test_a_typing_burst_does_not_swallow_another_tabs_change(world: World) -> None:
    async def body() -> None:
        mine = await world.started_tab()
        state = await _alice(mine)
        story_id = state["story_id"]
        other = world.tab()
        await other.start()
        await mine.call(
            "story.apply_edit",
            story_id=story_id,
            base_revision=state["revision"],
            op={"op": "set_premise", "value": "Mine"},
            include_story=False,
        )
        theirs = await other.call("story.open", story_id=story_id)
        await other.call(
            "story.apply_edit",
            story_id=story_id,
            base_revision=theirs["state"]["revision"],
            op={"op": "add_canon_rule", "value": "Their rule."},
        )
        # This tab takes the other tab's change in (as a notice or a re-open would) mid-burst.
        caught_up = await mine.call("story.open", story_id=story_id)
        assert caught_up["state"]["story"]["blueprint"]["canon_rules"][-1] == "Their rule."
        await mine.call(
            "story.apply_edit",
            story_id=story_id,
            base_revision=state["revision"],
            op={"op": "set_premise", "value": "Mine, longer"},
            include_story=False,
            continues_typing=True,
        )
        undone = await mine.call("story.undo", story_id=story_id)
        blueprint = undone["story"]["blueprint"]
        # The burst is split where the other tab's change came in: undo reverts only the
        # second send, and the other tab's rule stays.
        assert blueprint["premise"] == "Mine"
        assert blueprint["canon_rules"][-1] == "Their rule."

    world.run(body())


def test_typing_gets_its_diagnostics_pushed_before_the_commit(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        state = await _alice(tab)
        chapter = state["story"]["blueprint"]["chapters"][0]
        assert chapter["draft_text"] is None
        path = "chapters[0].draft_text"
        assert any(d["path"] == path for d in state["diagnostics"])  # "no draft yet"
        tab.pushes.clear()
        committed: list[bool] = []

        original_put = tab.studio.store.put_if_revision

        async def put_if_revision(record: StoredStory, expected_revision: int) -> CasOutcome:
            # When storing starts, the push is already out (the UI did not wait for storage).
            committed.append(any(p["name"] == "story.diagnosed" for p in tab.pushes))
            return await original_put(record, expected_revision)

        tab.studio.store.put_if_revision = put_if_revision  # type: ignore[method-assign]
        typed = await tab.call(
            "story.apply_edit",
            story_id=state["story_id"],
            base_revision=state["revision"],
            op={
                "op": "set_field",
                "kind": "chapter",
                "key": chapter["key"],
                "field": "draft_text",
                "value": "Down the rabbit hole.",
            },
            include_story=False,
            diagnosed_push_tag=7,
        )
        assert committed == [True]
        pushed = [p for p in tab.pushes if p["name"] == "story.diagnosed"]
        assert len(pushed) == 1
        args = pushed[0]["args"]
        assert args["tag"] == 7
        assert args["story_id"] == state["story_id"]
        # Only what changed since the list the open gave the UI: that chapter's note went.
        assert args["diagnostics"] is None
        assert args["delta"]["base"] == state["diagnostics_version"]
        [gone] = args["delta"]["splices"]
        assert gone["remove"] == 1
        assert gone["insert"] == []
        assert state["diagnostics"][gone["at"]]["path"] == path
        shown = [d for i, d in enumerate(state["diagnostics"]) if i != gone["at"]]
        # The reply (after the commit) says saved; the diagnostics it leaves out (the push had
        # them) are the story's as the service holds it.
        assert typed["saved"] is True
        assert typed["diagnostics"] is None
        assert typed["problem_counts"] == args["problem_counts"]
        assert typed["diagnostics_version"] == args["diagnostics_version"]
        diagnosed = await tab.call("story.diagnose", story_id=state["story_id"])
        assert diagnosed["diagnostics"] == shown
        assert diagnosed["diagnostics_version"] == args["diagnostics_version"]
        # Without a tag, nothing is pushed.
        tab.pushes.clear()
        await tab.call(
            "story.apply_edit",
            story_id=state["story_id"],
            base_revision=typed["revision"],
            op={"op": "set_premise", "value": "Another premise."},
            include_story=False,
        )
        assert [p for p in tab.pushes if p["name"] == "story.diagnosed"] == []

    world.run(body())


def test_a_typed_edit_that_merges_another_tab_replies_with_the_merged_diagnostics(
    world: World,
) -> None:
    async def body() -> None:
        a, b = world.tab(), world.tab()
        await a.start()
        await b.start()
        state = await a.call("story.create", title="Shared")
        story_id = state["story_id"]
        await b.call("story.open", story_id=story_id)
        original_put = a.studio.store.put_if_revision
        raced: list[int] = []

        async def put_if_revision(record: StoredStory, expected_revision: int) -> CasOutcome:
            if not raced:
                # Tab b commits first (a chapter requiring a theme nobody has), so tab a's
                # compare-and-swap fails and its save merges b's work.
                added = await b.call(
                    "story.apply_edit",
                    story_id=story_id,
                    base_revision=state["revision"],
                    op={
                        "op": "add_entity",
                        "kind": "chapter",
                        "entity": {"key": "late", "required_themes": ["missing"]},
                    },
                )
                raced.append(added["revision"])
            return await original_put(record, expected_revision)

        a.studio.store.put_if_revision = put_if_revision  # type: ignore[method-assign]
        typed = await a.call(
            "story.apply_edit",
            story_id=story_id,
            base_revision=state["revision"],
            op={"op": "set_premise", "value": "Typed in tab a."},
            include_story=False,
            diagnosed_push_tag=1,
        )
        assert raced
        assert typed["merged"] is True
        assert typed["diagnostics"] is not None
        assert "chapter.unknown_theme" in {d["code"] for d in typed["diagnostics"]}
        assert typed["story"]["blueprint"]["premise"] == "Typed in tab a."

    world.run(body())
