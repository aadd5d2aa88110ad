"""The JS host (browser/js/host.mjs) itself, over fake-indexeddb: only where there is JS.

The service tests run on this host too (the ``idb`` world); these check what the host alone
promises: the IndexedDB schema, strict durability, an atomic compare-and-swap, errors reduced
to {type, message}, the UI thread's read helpers, and the BroadcastChannel.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from story_gen.browser._errors import StorageError
from story_gen.browser._js import JsHost, js_module
from story_gen.browser._records import ProblemCounts
from story_gen.browser._store import StoryStore, build_record
from story_gen.core import Story, StoryBlueprint

if TYPE_CHECKING:
    from tests.browser.conftest import IdbWorld

STORY_ID = "8d7c1f0e-8f52-4a6e-9a0b-3c2d1e0f4a5b"


@pytest.fixture
def idb() -> Any:
    from tests.browser.conftest import IdbWorld

    made = IdbWorld()
    yield made
    made.close()


def _story(premise: str, when: str = "2026-01-02T03:04:05Z") -> Story:
    return Story.model_validate(
        {
            "story_id": STORY_ID,
            "title": "Host test",
            "blueprint": {"premise": premise},
            "created_at_utc": "2026-01-01T00:00:00Z",
            "updated_at_utc": when,
        }
    )


def _record(premise: str, revision: int) -> tuple[str, str]:
    record = build_record(
        _story(premise), revision=revision, problem_counts=ProblemCounts(warning=1)
    )
    return record.summary.model_dump_json(), record.story_json


async def _await(value: Any) -> Any:
    return await value


def test_the_schema_is_version_3_with_five_stores(idb: IdbWorld) -> None:
    async def body() -> dict[str, Any]:
        host = idb.new_host()
        await host.open()
        described = json.loads(str(await _await(idb._js.describe())))
        host.close()
        return dict(described)

    described = idb.run(body())
    assert described["version"] == 3
    assert described["stores"] == {
        "bodies": {"keyPath": "story_id", "indexes": []},
        "history": {"keyPath": ["story_id", "seq"], "indexes": []},
        "meta": {"keyPath": None, "indexes": []},
        "pending": {"keyPath": "id", "indexes": ["story_id"]},
        "summaries": {"keyPath": "story_id", "indexes": ["updated_at_utc"]},
    }


def test_a_version_1_database_is_upgraded_keeping_its_stories(idb: IdbWorld) -> None:
    summary, story_json = _record("Stored by the old studio.", 3)

    async def body() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        await _await(idb._js.seedVersion1(summary, story_json))
        tab = await idb.started_tab()
        state = await tab.call("story.open", story_id=STORY_ID)
        edited = await tab.call(
            "story.apply_edit",
            story_id=STORY_ID,
            base_revision=3,
            op={"op": "set_premise", "value": "Edited after the upgrade."},
        )
        described = json.loads(str(await _await(idb._js.describe())))
        return state, edited, described

    state, edited, described = idb.run(body())
    assert state["state"]["story"]["blueprint"]["premise"] == "Stored by the old studio."
    assert state["state"]["history"]["can_undo"] is False
    assert edited["revision"] == 4
    assert edited["history"]["undo_label"] == "premise"
    assert described["version"] == 3
    assert {"history", "pending"} <= set(described["stores"])


def test_pending_edits_are_deleted_with_the_write_that_holds_them(idb: IdbWorld) -> None:
    summary, story_json = _record("Holds the first two.", 1)
    other = "00000000-0000-4000-8000-0000000000ff"

    async def body() -> tuple[list[int], list[int], int]:
        ids = [
            await idb.queue_pending(STORY_ID, {"op": "set_premise", "value": text})
            for text in ("a", "ab", "abc")
        ]
        ids.append(await idb.queue_pending(other, {"op": "set_premise", "value": "x"}))
        host = idb.new_host()
        await host.open()
        everything = [r["id"] for r in json.loads(await host.get_pending())]
        await host.put_story_if_revision(STORY_ID, 0, summary, story_json, ids[1])
        left = [r["id"] for r in json.loads(await host.get_pending())]
        stored = json.loads(await host.get_story(STORY_ID) or "null")
        await host.delete_pending(json.dumps([ids[3]]))
        await host.delete_story(STORY_ID)
        assert json.loads(await host.get_pending()) == []
        host.close()
        return everything, left, int(stored["pending_through"])

    everything, left, through = idb.run(body())
    assert everything == sorted(everything)  # typing order: ids grow
    assert left == [everything[2], everything[3]]  # the other story's and the later one
    assert through == everything[1]


def test_history_steps_are_put_and_deleted_in_one_call(idb: IdbWorld) -> None:
    def step(seq: int, label: str) -> dict[str, Any]:
        empty = {"format": "story_gen.patch/1", "ops": []}
        return {
            "story_id": STORY_ID,
            "seq": seq,
            "done": True,
            "label": label,
            "patch": empty,
            "inverse": empty,
        }

    async def body() -> tuple[list[Any], list[Any]]:
        host = idb.new_host()
        await host.open()
        await host.put_history(STORY_ID, json.dumps([step(2, "b"), step(1, "a")]), "[]")
        first = json.loads(await host.get_history(STORY_ID))
        await host.put_history(STORY_ID, json.dumps([step(3, "c")]), "[1]")
        second = json.loads(await host.get_history(STORY_ID))
        await host.delete_story(STORY_ID)
        gone = json.loads(await host.get_history(STORY_ID))
        host.close()
        assert gone == []
        return first, second

    first, second = idb.run(body())
    assert [s["label"] for s in first] == ["a", "b"]  # in seq order
    assert [s["label"] for s in second] == ["b", "c"]


def test_every_write_transaction_is_strict(idb: IdbWorld) -> None:
    worlds = js_module("story_gen_test_worlds")

    async def body() -> list[str]:
        worlds.takeDurabilities()
        tab = await idb.started_tab()
        state = await tab.call("story.create", title="Strict")
        await tab.call(
            "story.apply_edit",
            story_id=state["story_id"],
            base_revision=1,
            op={"op": "set_premise", "value": "x"},
        )
        await tab.call("story.delete", story_id=state["story_id"])
        return list(json.loads(str(worlds.takeDurabilities())))

    durabilities = idb.run(body())
    assert len(durabilities) >= 5  # demos, meta, create, edit, delete
    assert set(durabilities) == {"strict"}


def test_compare_and_swap_refuses_a_stale_revision_and_returns_the_head(idb: IdbWorld) -> None:
    async def body() -> None:
        host = idb.new_host()
        await host.open()
        first = json.loads(await host.put_story_if_revision(STORY_ID, 0, *_record("one", 1)))
        assert first == {"ok": True, "current": None}
        again = json.loads(await host.put_story_if_revision(STORY_ID, 0, *_record("two", 1)))
        assert again["ok"] is False
        assert again["current"]["summary"]["revision"] == 1
        assert Story.model_validate_json(again["current"]["story_json"]).blueprint.premise == "one"
        second = json.loads(await host.put_story_if_revision(STORY_ID, 1, *_record("two", 2)))
        assert second["ok"] is True
        with pytest.raises(StorageError, match="does not follow"):
            await host.put_story_if_revision(STORY_ID, 2, *_record("skip", 9))
        stored = await StoryStore(host).get(STORY_ID)
        assert stored is not None
        assert stored.summary.revision == 2
        assert stored.story().blueprint.premise == "two"
        host.close()

    idb.run(body())


def test_a_quota_failure_mid_transaction_writes_nothing(idb: IdbWorld) -> None:
    worlds = js_module("story_gen_test_worlds")

    async def body() -> None:
        host = idb.new_host()
        await host.open()
        await host.put_story_if_revision(STORY_ID, 0, *_record("kept", 1))
        worlds.failPutAfter(1)  # the body's put passes, the summary's put hits the quota
        with pytest.raises(StorageError) as caught:
            await host.put_story_if_revision(STORY_ID, 1, *_record("lost", 2))
        assert caught.value.type == "storage.quota"
        assert caught.value.is_quota
        assert "full" in caught.value.message
        stored = await StoryStore(host).get(STORY_ID)
        assert stored is not None
        assert stored.summary.revision == 1
        assert stored.story().blueprint.premise == "kept"  # the body write was rolled back
        host.close()

    idb.run(body())


def test_malformed_input_is_a_storage_error_not_a_crash(idb: IdbWorld) -> None:
    async def body() -> None:
        host = idb.new_host()
        await host.open()
        with pytest.raises(StorageError) as caught:
            await host.put_story_if_revision("another-id", 0, *_record("x", 1))
        assert caught.value.type == "storage.error"
        assert "malformed" in caught.value.message
        with pytest.raises(StorageError):
            await host.get_story("")
        host.close()

    idb.run(body())


def test_the_ui_reads_the_library_without_python(idb: IdbWorld) -> None:
    async def body() -> None:
        tab = await idb.started_tab()
        newest = await tab.call("story.create", title="Newest")
        await tab.call("story.delete", story_id=newest["story_id"])
        library = json.loads(str(await _await(idb._js.readLibrary())))
        assert next(s["title"] for s in library) == "Newest"
        assert library[0]["deleted_at_utc"] is not None
        assert len(library) == 3
        for summary in library:
            assert set(summary) == {
                "story_id",
                "revision",
                "title",
                "chapter_count",
                "problem_counts",
                "status_counts",
                "word_count",
                "conflict_count",
                "created_at_utc",
                "updated_at_utc",
                "deleted_at_utc",
                "story_digest",
            }
        last = json.loads(str(await _await(idb._js.readMeta("last_opened_story"))))
        assert last == newest["story_id"]
        stored = json.loads(str(await _await(idb._js.readStory(newest["story_id"]))))
        assert Story.model_validate_json(stored["story_json"]).title == "Newest"
        assert json.loads(str(await _await(idb._js.readStory(STORY_ID)))) is None

    idb.run(body())


def test_broadcasts_reach_the_other_tabs_not_the_sender(idb: IdbWorld) -> None:
    async def body() -> None:
        a, b = idb.new_host(), idb.new_host()
        await a.open()
        await b.open()
        heard_a: list[str] = []
        heard_b: list[str] = []
        a.subscribe(heard_a.append)
        unsubscribe = b.subscribe(heard_b.append)
        a.broadcast('{"hello": 1}')
        await idb.settle()
        assert heard_b == ['{"hello": 1}']
        assert heard_a == []
        unsubscribe()
        a.broadcast('{"hello": 2}')
        await idb.settle()
        assert heard_b == ['{"hello": 1}']
        a.close()
        b.close()

    idb.run(body())


def test_persist_is_requested_through_the_storage_manager(idb: IdbWorld) -> None:
    worlds = js_module("story_gen_test_worlds")

    async def body() -> None:
        plain = idb.new_host()
        assert await plain.request_persist() is False  # Node has no navigator.storage
        granted = worlds.hostWithStorage(idb._js)
        host = JsHost(granted.host)
        assert await host.request_persist() is True
        assert granted.calls() == 1
        assert len(host.new_id()) == 36
        assert host.now().endswith("Z")

    idb.run(body())


def test_an_empty_blueprint_round_trips_through_the_store(idb: IdbWorld) -> None:
    async def body() -> None:
        host = idb.new_host()
        store = StoryStore(host)
        await host.open()
        story = _story("").model_copy(update={"blueprint": StoryBlueprint()})
        record = build_record(story, revision=1, problem_counts=ProblemCounts())
        assert (await store.put_if_revision(record, 0)).ok
        assert (await store.get(STORY_ID)) == record
        assert [s.story_id for s in await store.summaries()] == [story.story_id]
        await store.purge(STORY_ID)
        assert await store.get(STORY_ID) is None
        host.close()

    idb.run(body())
