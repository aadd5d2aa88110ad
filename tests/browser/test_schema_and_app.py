"""The generated facade schema, and the app module's entry points as the worker calls them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from story_gen.browser import app
from story_gen.browser.handlers import registry
from story_gen.browser.memory_host import MemoryDatabase, MemoryHost
from story_gen.browser.schema import PUSHES, facade_schema, main, render

if TYPE_CHECKING:
    from tests.browser.conftest import MemoryWorld


def _resolve(schema: dict[str, Any], ref: dict[str, str]) -> dict[str, Any]:
    name = ref["$ref"].removeprefix("#/$defs/")
    found: dict[str, Any] = schema["$defs"][name]
    return found


def test_the_schema_names_every_handler_push_and_model() -> None:
    schema = facade_schema()
    handlers = schema["properties"]["handlers"]["properties"]
    assert set(handlers) == {h.name for h in registry}
    for name, entry in handlers.items():
        assert set(entry["properties"]) == {"args", "result"}, name
        for part in ("args", "result"):
            assert _resolve(schema, entry["properties"][part])["type"] == "object", (name, part)
    assert set(schema["properties"]["pushes"]["properties"]) == set(PUSHES)
    models = schema["properties"]["models"]["properties"]
    assert {"story", "blueprint", "request", "reply", "push", "error", "start"} <= set(models)
    edit = _resolve(schema, handlers["story.apply_edit"]["properties"]["args"])
    op = edit["properties"]["op"]
    assert op["discriminator"]["propertyName"] == "op"
    assert "rename_key" in op["discriminator"]["mapping"]
    # Results list every field as required (the service always sends them).
    state = _resolve(schema, handlers["story.open"]["properties"]["result"])
    assert "plan" in state["required"]
    assert "GENERATED" in schema["$comment"]


def test_the_schema_is_deterministic_and_check_detects_staleness(tmp_path: Path) -> None:
    out = tmp_path / "facade.schema.json"
    assert main(["--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == render(facade_schema())
    assert main(["--out", str(out), "--check"]) == 0
    out.write_text(out.read_text(encoding="utf-8").replace("story.open", "story.opened"))
    assert main(["--out", str(out), "--check"]) == 1
    json.loads(out.read_text(encoding="utf-8"))


def test_the_app_entry_points_speak_json(memory_world: MemoryWorld) -> None:
    pushes: list[str] = []

    async def body() -> None:
        before = json.loads(await app.handle('{"id": 1, "name": "library.list", "args": {}}'))
        if before.get("error"):  # a fresh interpreter: not started yet
            assert before["error"]["type"] == "app.not_started"
        app.set_push_sink(pushes.append)
        started = json.loads(await app.start(MemoryHost(memory_world.database)))
        assert started["type"] == "reply"
        assert started["id"] is None
        assert started["result"]["first_run"] is True
        listed = json.loads(await app.handle('{"id": 2, "name": "library.list", "args": {}}'))
        assert listed["id"] == 2
        assert len(listed["result"]["stories"]) == 2
        # A second tab saves: this one is told through the push sink.
        other = MemoryHost(memory_world.database)
        await other.open()
        story_id = listed["result"]["stories"][0]["story_id"]
        await app.handle(
            json.dumps({"id": 3, "name": "story.open", "args": {"story_id": story_id}})
        )
        other.broadcast(
            json.dumps({"type": "library.changed", "story_id": story_id, "revision": 1})
        )
        await memory_world.settle()
        assert any(json.loads(p)["name"] == "library.changed" for p in pushes)
        app.set_push_sink(None)

    memory_world.run(body())


def test_start_reports_storage_failure_as_an_error_reply(memory_world: MemoryWorld) -> None:
    class BrokenHost(MemoryHost):
        async def open(self) -> None:
            from story_gen.browser._errors import StorageError

            raise StorageError("IndexedDB is not available in this browser")

    async def body() -> dict[str, Any]:
        return dict(json.loads(await app.start(BrokenHost(MemoryDatabase()))))

    reply = memory_world.run(body())
    assert reply["error"] == {
        "type": "storage.error",
        "message": "IndexedDB is not available in this browser",
    }


def test_the_contract_page_names_every_handler_and_push() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "studio-service.md").read_text(
        encoding="utf-8"
    )
    for found in registry:
        assert f"`{found.name}`" in page, f"docs/studio-service.md does not describe {found.name}"
    for name in PUSHES:
        assert f"`{name}`" in page, f"docs/studio-service.md does not describe the push {name}"
