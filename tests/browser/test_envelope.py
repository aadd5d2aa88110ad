"""The envelope: every outcome is a reply {type, id, result} or {type, id, error{type, message}}."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from pydantic import BaseModel

from story_gen.browser._facade import Facade
from story_gen.browser._registry import DuplicateHandlerError, Registry
from story_gen.browser._service import Studio
from story_gen.browser.handlers import registry

if TYPE_CHECKING:
    from tests.browser.conftest import World


def _reply(world: World, text: str) -> dict[str, object]:
    async def body() -> dict[str, object]:
        tab = await world.started_tab()
        return dict(json.loads(await tab.facade.handle(text)))

    return world.run(body())


def test_a_result_reply_echoes_the_id(world: World) -> None:
    reply = _reply(world, json.dumps({"id": 41, "name": "library.demos", "args": {}}))
    assert reply["type"] == "reply"
    assert reply["id"] == 41
    assert "error" not in reply
    assert {d["key"] for d in reply["result"]["demos"]} == {  # type: ignore[index]
        "alice-in-wonderland",
        "a-christmas-carol",
    }


def test_an_unknown_handler_gets_an_error_reply_naming_it(world: World) -> None:
    reply = _reply(world, json.dumps({"id": 2, "name": "story.frobnicate", "args": {}}))
    assert reply["id"] == 2
    error = reply["error"]
    assert isinstance(error, dict)
    assert error["type"] == "handler.unknown"
    assert "story.frobnicate" in error["message"]
    assert "library.list" in error["message"]  # tells what exists
    assert set(reply) == {"type", "id", "error", "result"}
    assert reply["result"] is None


@pytest.mark.parametrize(
    ("text", "expected_id"),
    [
        ("not json at all", None),
        ("[1, 2]", None),
        (json.dumps({"id": 3}), 3),
        (json.dumps({"id": "x", "name": "library.list"}), None),
        (json.dumps({"id": 4, "name": "library.list", "args": [1]}), 4),
        (json.dumps({"id": 5, "name": "library.list", "args": {}, "extra": 1}), 5),
    ],
)
def test_a_malformed_request_gets_a_request_invalid_reply(
    world: World, text: str, expected_id: int | None
) -> None:
    reply = _reply(world, text)
    assert reply["type"] == "reply"
    assert reply["id"] == expected_id
    error = reply["error"]
    assert isinstance(error, dict)
    assert error["type"] == "request.invalid"
    assert "Traceback" not in error["message"]


def test_bad_args_get_an_args_invalid_reply_saying_where(world: World) -> None:
    reply = _reply(
        world, json.dumps({"id": 6, "name": "story.open", "args": {"story_id": "not-a-uuid"}})
    )
    error = reply["error"]
    assert isinstance(error, dict)
    assert error["type"] == "args.invalid"
    assert "story.open" in error["message"]
    assert "story_id" in error["message"]


def test_an_unknown_story_is_story_not_found(world: World) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    reply = _reply(
        world, json.dumps({"id": 7, "name": "story.open", "args": {"story_id": missing}})
    )
    error = reply["error"]
    assert isinstance(error, dict)
    assert error["type"] == "story.not_found"
    assert missing in error["message"]


class _Args(BaseModel):
    n: int = 0


class _Result(BaseModel):
    n: int


def test_a_crashing_handler_is_reduced_to_an_internal_error_without_traceback(
    world: World,
) -> None:
    local = Registry()

    @local.register("boom")
    async def boom(studio: Studio, args: _Args) -> _Result:
        raise ZeroDivisionError("division by zero in the planner")

    async def body() -> dict[str, object]:
        tab = await world.started_tab()
        return dict(json.loads(await Facade(tab.studio, local).handle('{"id": 9, "name": "boom"}')))

    reply = world.run(body())
    assert reply["id"] == 9
    error = reply["error"]
    assert isinstance(error, dict)
    assert error["type"] == "internal"
    assert "ZeroDivisionError" in error["message"]
    assert "Traceback" not in error["message"]
    assert "File " not in error["message"]


def test_registering_a_name_twice_raises_at_registration() -> None:
    local = Registry()

    @local.register("x.y")
    async def first(studio: Studio, args: _Args) -> _Result:
        return _Result(n=1)

    with pytest.raises(DuplicateHandlerError, match=r"x\.y.*first.*second"):

        @local.register("x.y")
        async def second(studio: Studio, args: _Args) -> _Result:
            return _Result(n=2)

    assert local.get("x.y") is not None
    assert local.get("x.y").func is first  # type: ignore[union-attr]


def test_the_studio_registry_refuses_a_second_library_list() -> None:
    with pytest.raises(DuplicateHandlerError):

        @registry.register("library.list")
        async def again(studio: Studio, args: _Args) -> _Result:
            return _Result(n=0)


def test_handlers_must_be_typed_with_models() -> None:
    local = Registry()

    async def untyped(studio: Studio, args: dict[str, int]) -> _Result:
        return _Result(n=0)

    with pytest.raises(TypeError, match="args annotation must be a model"):
        local.register("untyped")(untyped)  # type: ignore[type-var]


def test_every_handler_of_the_contract_is_registered() -> None:
    names = {h.name for h in registry}
    assert names >= {
        "library.list",
        "library.export_all",
        "story.create",
        "story.open",
        "story.rename",
        "story.delete",
        "story.undelete",
        "trash.empty",
        "library.search",
        "story.duplicate",
        "story.apply_edit",
        "story.undo",
        "story.redo",
        "story.diagnose",
        "story.plan",
        "story.export",
        "story.import",
        "key.rename_preview",
        "key.rename",
        "entity.references",
        "conflicts.resolve",
    }
