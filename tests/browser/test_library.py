"""The library: first-run demos, list, create, delete/undelete, duplicate, import, export all."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from story_gen.browser._handlers_story_lifecycle import MAX_IMPORT_CHARS
from story_gen.core import Story

if TYPE_CHECKING:
    from tests.browser.conftest import MemoryWorld, Tab, World

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "blueprints"


def test_first_run_seeds_the_demos_once_and_opens_one(world: World) -> None:
    async def body() -> None:
        tab = world.tab()
        first = await tab.start()
        assert first.first_run
        assert len(first.seeded_story_ids) == 2
        assert first.last_opened_story_id == first.seeded_story_ids[0]
        listed = await tab.call("library.list")
        titles = sorted(s["title"] for s in listed["stories"])
        assert titles == ["A Christmas Carol", "Alice's Adventures in Wonderland"]
        for summary in listed["stories"]:
            assert summary["chapter_count"] > 0
            assert summary["revision"] == 1
            assert set(summary["problem_counts"]) == {"error", "warning", "info"}
        # The writer deletes a demo and empties nothing: a second visit seeds nothing more.
        await tab.call("story.delete", story_id=str(first.seeded_story_ids[1]))
        again = await world.tab().start()
        assert not again.first_run
        assert again.seeded_story_ids == []
        listed = await tab.call("library.list")
        assert len(listed["stories"]) == 1

    world.run(body())


def test_the_demos_are_stored_after_start_returns_and_before_any_request(world: World) -> None:
    async def body() -> None:
        tab = world.tab()
        first = await tab.start()
        # start() named the demos to open, and the very first request already finds them.
        assert first.last_opened_story_id == first.seeded_story_ids[0]
        opened = await tab.call("story.open", story_id=str(first.last_opened_story_id))
        assert opened["state"]["story"]["title"] == "Alice's Adventures in Wonderland"
        await tab.studio.idle()
        for story_id in first.seeded_story_ids:
            assert await world.stored_story(str(story_id)) is not None

    world.run(body())


def test_demos_that_cannot_be_stored_do_not_fail_the_start_and_come_next_time(
    world: World,
) -> None:
    async def body() -> None:
        world.fail_writes_with_quota()
        tab = world.tab()
        first = await tab.start()  # the studio starts: the demos are not essential
        assert first.first_run
        listed = await tab.call("library.list")
        assert listed["stories"] == []
        failures = [p for p in tab.pushes if p["name"] == "storage.error"]
        assert failures
        assert "demo stories" in failures[-1]["args"]["message"]
        world.clear_faults()
        later = world.tab()
        again = await later.start()
        assert again.first_run  # not marked seeded: this start seeds them
        listed = await later.call("library.list")
        assert len(listed["stories"]) == 2

    world.run(body())


def test_two_tabs_starting_together_seed_each_demo_once(world: World) -> None:
    async def body() -> None:
        a, b = world.tab(), world.tab()
        await a.start()
        await b.start()
        listed = await b.call("library.list")
        assert len(listed["stories"]) == 2

    world.run(body())


async def _created(tab: Tab, **args: Any) -> dict[str, Any]:
    state: dict[str, Any] = await tab.call("story.create", **args)
    return state


def test_create_blank_and_from_demo(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        blank = await _created(tab, title="  My Novel  ")
        assert blank["story"]["title"] == "My Novel"
        assert blank["story"]["blueprint"]["chapters"] == []
        assert blank["revision"] == 1
        assert blank["saved"] is True
        assert any(d["code"] == "premise.empty" for d in blank["diagnostics"])
        demo = await _created(tab, demo="a-christmas-carol")
        assert demo["story"]["title"] == "A Christmas Carol"
        assert demo["story"]["story_id"] != blank["story"]["story_id"]
        carol = json.loads((FIXTURES / "a-christmas-carol.json").read_text(encoding="utf-8"))
        assert demo["story"]["blueprint"]["premise"] == carol["premise"]
        missing = await tab.fails("story.create", demo="moby-dick")
        assert missing.type == "story.not_found"
        assert "alice-in-wonderland" in missing.message
        empty_title = await tab.fails("story.create", title="   ")
        assert empty_title.type == "args.invalid"
        stored = await world.stored_story(blank["story"]["story_id"])
        assert stored is not None
        assert stored["summary"]["title"] == "My Novel"
        assert await tab.studio.store.get_meta("last_opened_story") == demo["story"]["story_id"]

    world.run(body())


def test_delete_is_undoable_and_hides_the_story(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        story_id = (await _created(tab, title="Doomed"))["story_id"]
        deleted = await tab.call("story.delete", story_id=story_id)
        assert deleted["restorable_until_utc"] > deleted["deleted_at_utc"]
        live = await tab.call("library.list")
        assert story_id not in {s["story_id"] for s in live["stories"]}
        trash = await tab.call("library.list", include_deleted=True)
        assert story_id in {s["story_id"] for s in trash["stories"] if s["deleted_at_utc"]}
        refused = await tab.fails(
            "story.apply_edit",
            story_id=story_id,
            base_revision=2,
            op={"op": "set_premise", "value": "x"},
        )
        assert refused.type == "story.not_found"
        assert "trash" in refused.message
        restored = await tab.call("story.undelete", story_id=story_id)
        assert restored["deleted_at_utc"] is None
        assert restored["story"]["title"] == "Doomed"
        live = await tab.call("library.list")
        assert story_id in {s["story_id"] for s in live["stories"]}

    world.run(body())


def test_duplicate_copies_the_blueprint_under_a_new_id(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        source = await _created(tab, demo="alice-in-wonderland")
        copy = await tab.call("story.duplicate", story_id=source["story_id"])
        assert copy["story_id"] != source["story_id"]
        assert copy["story"]["title"] == "Alice's Adventures in Wonderland (copy)"
        assert copy["story"]["blueprint"] == source["story"]["blueprint"]
        named = await tab.call("story.duplicate", story_id=source["story_id"], title="Alice 2")
        assert named["story"]["title"] == "Alice 2"

    world.run(body())


def test_library_search_filters_by_title(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        found = await tab.call("library.list", query="carol")
        assert [s["title"] for s in found["stories"]] == ["A Christmas Carol"]

    world.run(body())


def test_import_of_an_unreadable_file_changes_nothing(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        before = await tab.call("library.list", include_deleted=True)
        not_json = await tab.call("story.import", content='{"premise": "x",', filename="a.json")
        assert not_json["stored"] is False
        assert not_json["story_id"] is None
        assert not_json["diagnostics"][0]["code"] == "import.invalid_json"
        assert "line 1" in not_json["diagnostics"][0]["message"]
        wrong_shape = await tab.call("story.import", content='{"chapters": 3}')
        assert wrong_shape["stored"] is False
        assert wrong_shape["importable"] is False
        assert wrong_shape["diagnostics"]
        newer = json.dumps(
            {
                "story_id": "00000000-0000-4000-8000-000000000001",
                "title": "From the future",
                "schema_version": 999,
                "blueprint": {},
                "created_at_utc": "2026-01-01T00:00:00Z",
                "updated_at_utc": "2026-01-01T00:00:00Z",
            }
        )
        future = await tab.call("story.import", content=newer)
        assert future["importable"] is False
        assert future["diagnostics"][0]["code"] == "import.unsupported_version"
        assert "999" in future["diagnostics"][0]["message"]
        huge = await tab.call("story.import", content=" " * (MAX_IMPORT_CHARS + 1))
        assert huge["importable"] is False
        assert huge["diagnostics"][0]["code"] == "import.too_large"
        after = await tab.call("library.list", include_deleted=True)
        assert after == before

    world.run(body())


def test_import_of_a_valid_file_stores_it(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        text = (FIXTURES / "alice-in-wonderland.json").read_text(encoding="utf-8")
        imported = await tab.call("story.import", content=text, filename="alice-in-wonderland.json")
        assert imported["stored"] is True
        assert imported["state"]["story"]["title"] == "Alice in wonderland"
        stored = await world.stored_story(imported["story_id"])
        assert stored is not None
        assert (
            Story.model_validate_json(stored["story_json"]).blueprint.premise
            == json.loads(text)["premise"]
        )

    world.run(body())


def test_a_dry_run_reports_warnings_and_stores_nothing_until_asked(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        before = await tab.call("library.list", include_deleted=True)
        # No errors, but warnings and notes: an unused theme, chapters with no draft yet.
        text = json.dumps(
            {
                "premise": "A lighthouse keeper finds a letter.",
                "themes": [
                    {"key": "solitude", "statement": "Being alone is not being lonely."},
                    {"key": "unused", "statement": "Nobody needs this theme."},
                ],
                "chapters": [
                    {"key": "letter", "title": "The letter", "required_themes": ["solitude"]},
                ],
            }
        )
        seen = await tab.call(
            "story.import", content=text, filename="light-house.json", dry_run=True
        )
        assert seen["stored"] is False
        assert seen["story_id"] is None
        assert seen["state"] is None
        assert seen["importable"] is True
        assert seen["title"] == "Light house"
        assert seen["chapter_count"] == 1
        severities = {d["severity"] for d in seen["diagnostics"]}
        assert "warning" in severities
        assert "error" not in severities
        assert await tab.call("library.list", include_deleted=True) == before

        # The writer says import: the same diagnostics, now stored under the same title.
        stored = await tab.call("story.import", content=text, filename="light-house.json")
        assert stored["stored"] is True
        assert stored["importable"] is True
        assert stored["title"] == "Light house"
        assert stored["diagnostics"] == seen["diagnostics"]
        assert await world.stored_story(stored["story_id"]) is not None
        after = await tab.call("library.list")
        assert len(after["stories"]) == len(before["stories"]) + 1

    world.run(body())


def test_a_file_with_errors_is_imported_on_the_writers_word(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        before = await tab.call("library.list", include_deleted=True)
        bad_ref = json.dumps(
            {"premise": "p", "chapters": [{"key": "one", "required_themes": ["ghost"]}]}
        )
        seen = await tab.call("story.import", content=bad_ref, filename="ghost.json", dry_run=True)
        assert seen["importable"] is True
        assert seen["stored"] is False
        assert seen["title"] == "Ghost"
        assert seen["chapter_count"] == 1
        assert any(d["code"] == "chapter.unknown_theme" for d in seen["diagnostics"])
        assert await tab.call("library.list", include_deleted=True) == before
        stored = await tab.call("story.import", content=bad_ref, filename="ghost.json")
        assert stored["stored"] is True
        assert stored["outcome"] == "created"
        assert stored["diagnostics"] == seen["diagnostics"]
        # The problems travel with the story: the editor lists them.
        opened = await tab.call("story.open", story_id=stored["story_id"])
        codes = {d["code"] for d in opened["state"]["diagnostics"]}
        assert "chapter.unknown_theme" in codes
        summary = next(
            s
            for s in (await tab.call("library.list"))["stories"]
            if s["story_id"] == stored["story_id"]
        )
        assert summary["problem_counts"]["error"] == 1

    world.run(body())


def test_a_story_file_keeps_its_title_and_identity_and_a_second_import_asks(
    world: World,
) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        made = await _created(tab, title="The Lighthouse")
        story_id = made["story_id"]
        exported = await tab.call("story.export", story_id=story_id, format="story")
        text = exported["content"]
        await tab.call("story.delete", story_id=story_id)
        # In the trash, it is still there: the import says so.
        seen = await tab.call("story.import", content=text, dry_run=True)
        assert seen["existing"] == {
            "story_id": story_id,
            "title": "The Lighthouse",
            "in_trash": True,
        }
        await tab.call("story.undelete", story_id=story_id)
        count = len((await tab.call("library.list"))["stories"])

        skipped = await tab.call("story.import", content=text, on_existing="skip")
        assert skipped["stored"] is False
        assert skipped["outcome"] == "skipped"
        assert len((await tab.call("library.list"))["stories"]) == count

        both = await tab.call("story.import", content=text, on_existing="keep_both")
        assert both["outcome"] == "created"
        assert both["story_id"] != story_id
        assert both["title"] == "The Lighthouse (copy)"
        assert len((await tab.call("library.list"))["stories"]) == count + 1

        changed = json.loads(text)
        changed["title"] = "The Lighthouse, revised"
        changed["blueprint"]["premise"] = "A keeper and a letter."
        replaced = await tab.call(
            "story.import", content=json.dumps(changed), on_existing="replace"
        )
        assert replaced["outcome"] == "replaced"
        assert replaced["story_id"] == story_id
        assert replaced["state"]["story"]["blueprint"]["premise"] == "A keeper and a letter."
        assert replaced["state"]["history"]["can_undo"] is True
        assert len((await tab.call("library.list"))["stories"]) == count + 1
        stored = await world.stored_story(story_id)
        assert stored is not None
        assert Story.model_validate_json(stored["story_json"]).title == "The Lighthouse, revised"

        # A story whose id the library does not hold keeps it, and its title.
        await tab.call("story.delete", story_id=story_id)
        fresh = json.loads(text)
        fresh["story_id"] = "00000000-0000-4000-8000-00000000abcd"
        created = await tab.call("story.import", content=json.dumps(fresh), filename="x.json")
        assert created["story_id"] == fresh["story_id"]
        assert created["title"] == "The Lighthouse"

    world.run(body())


def test_export_all_is_a_zip_of_every_live_story_that_imports_back(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        await _created(tab, title="Third")
        exported = await tab.call("library.export_all")
        assert exported["media_type"] == "application/zip"
        assert exported["story_count"] == 3
        archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(exported["base64"])))
        names = sorted(archive.namelist())
        assert "manifest.json" in names
        manifest = json.loads(archive.read("manifest.json"))
        assert len(manifest["stories"]) == 3
        for entry in manifest["stories"]:
            text = archive.read(entry["file"]).decode("utf-8")
            story = Story.model_validate_json(text)
            assert str(story.story_id) == entry["story_id"]
            again = await tab.call("story.import", content=text, dry_run=True)
            assert again["importable"] is True
            assert again["existing"]["story_id"] == entry["story_id"]
            assert again["title"] == story.title

    world.run(body())


def test_the_trash_is_emptied_after_thirty_days_and_persist_is_asked_once(
    memory_world: MemoryWorld,
) -> None:
    from datetime import UTC, datetime, timedelta

    from story_gen.browser.memory_host import MemoryHost

    now = [datetime(2026, 3, 1, tzinfo=UTC)]

    def clock() -> datetime:
        return now[0]

    async def body() -> None:
        tab = memory_world.tab(MemoryHost(memory_world.database, clock=clock))
        await tab.start()
        assert memory_world.database.persist_requests == 0  # seeding demos is not a save
        story_id = (await tab.call("story.create", title="Old"))["story_id"]
        assert memory_world.database.persist_requests == 1  # the writer's first save
        await tab.call("story.delete", story_id=story_id)
        assert memory_world.database.persist_requests == 1
        now[0] += timedelta(days=29)
        later = memory_world.tab(MemoryHost(memory_world.database, clock=clock))
        assert (await later.start()).purged_story_ids == []
        await later.call("story.undelete", story_id=story_id)
        await later.call("story.delete", story_id=story_id)
        now[0] += timedelta(days=31)
        last = memory_world.tab(MemoryHost(memory_world.database, clock=clock))
        purged = await last.start()
        assert [str(i) for i in purged.purged_story_ids] == [story_id]
        assert await memory_world.stored_story(story_id) is None
        assert memory_world.database.persist_requests == 1  # remembered across tabs

    memory_world.run(body())


def test_other_tabs_hear_library_changes(world: World) -> None:
    async def body() -> None:
        a = await world.started_tab()
        b = await world.started_tab()
        created = await a.call("story.create", title="News")
        await world.settle()
        assert created["story_id"] in [p["story_id"] for p in b.pushed("library.changed")]
        listed = await b.call("library.list")
        assert "News" in [s["title"] for s in listed["stories"]]

    world.run(body())


def test_the_trash_is_emptied_on_request_and_only_the_trash(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        keep = await _created(tab, title="Keep me")
        gone = await _created(tab, title="Gone")
        also = await _created(tab, title="Also gone")
        for made in (gone, also):
            await tab.call("story.delete", story_id=made["story_id"])
        listed = await tab.call("library.list", include_deleted=True)
        assert {s["title"] for s in listed["stories"] if s["deleted_at_utc"]} == {
            "Gone",
            "Also gone",
        }
        # A live story is not removed for good, and nothing else is either.
        refused = await tab.fails("trash.empty", story_ids=[keep["story_id"], gone["story_id"]])
        assert refused.type == "trash.not_in_trash"
        assert "Nothing was removed" in refused.message
        assert await tab.call("library.list", include_deleted=True) == listed
        # One story, then the rest.
        one = await tab.call("trash.empty", story_ids=[gone["story_id"]])
        assert one["purged_story_ids"] == [gone["story_id"]]
        assert await world.stored_story(gone["story_id"]) is None
        rest = await tab.call("trash.empty")
        assert rest["purged_story_ids"] == [also["story_id"]]
        assert await world.stored_story(also["story_id"]) is None
        after = await tab.call("library.list", include_deleted=True)
        assert [s for s in after["stories"] if s["deleted_at_utc"]] == []
        assert keep["story_id"] in {s["story_id"] for s in after["stories"]}

    world.run(body())
