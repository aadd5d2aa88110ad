"""The diagnostics delta: splices between two lists, and the story.diagnosed push that carries them."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any

from hypothesis import given
from hypothesis import strategies as st

from story_gen.browser._diagnostics_delta import Splice, apply_splices, counts_after, splices
from story_gen.browser._records import count_problems
from story_gen.core import Diagnostic, Severity

if TYPE_CHECKING:
    from tests.browser.conftest import Tab, World

POOL = [
    Diagnostic(severity=severity, code=f"c.{n}", path=f"chapters[{n}].draft_text", message=str(n))
    for n, severity in enumerate([Severity.INFO, Severity.WARNING, Severity.ERROR] * 4)
]


@st.composite
def diagnostic_lists(draw: st.DrawFn) -> list[Diagnostic]:
    """Lists that share objects (unchanged buckets) and hold equal copies (re-checked ones)."""
    items = draw(st.lists(st.sampled_from(POOL), max_size=14))
    return [d.model_copy() if draw(st.booleans()) else d for d in items]


@given(diagnostic_lists(), diagnostic_lists())
def test_splices_turn_one_list_into_the_other(
    before: list[Diagnostic], after: list[Diagnostic]
) -> None:
    changes = splices(before, after)
    assert apply_splices(before, changes) == after
    ends = [(c.at, c.at + c.remove) for c in changes]
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in pairwise(ends))
    assert all(c.remove or c.insert for c in changes)
    assert counts_after(count_problems(before), before, changes) == count_problems(after)


def test_one_changed_entry_is_one_small_splice() -> None:
    before = POOL[:]
    after = [*POOL[:5], POOL[5].model_copy(update={"message": "new"}), *POOL[6:]]
    assert splices(before, after) == [Splice(at=5, remove=1, insert=[after[5]])]
    assert splices(before, list(before)) == []
    # Two changes far apart stay two splices (the run between is not resent).
    far = [POOL[0].model_copy(update={"message": "x"}), *POOL[1:-1]]
    assert splices(before, far) == [
        Splice(at=0, remove=1, insert=[far[0]]),
        Splice(at=len(POOL) - 1, remove=1, insert=[]),
    ]


async def _typed(tab: Tab, state: dict[str, Any], key: str, value: str | None, tag: int) -> Any:
    await tab.call(
        "story.apply_edit",
        story_id=state["story_id"],
        base_revision=state["revision"],
        op={
            "op": "set_field",
            "kind": "chapter",
            "key": key,
            "field": "draft_text",
            "value": value,
        },
        include_story=False,
        diagnosed_push_tag=tag,
    )
    [push] = [p["args"] for p in tab.pushes if p["name"] == "story.diagnosed"]
    tab.pushes.clear()
    return push


def _patched(held: list[dict[str, Any]], delta: dict[str, Any]) -> list[dict[str, Any]]:
    changes = [Splice.model_validate(s) for s in delta["splices"]]
    listed = [Diagnostic.model_validate(d) for d in held]
    return [d.model_dump(mode="json") for d in apply_splices(listed, changes)]


def test_typing_pushes_only_what_changed_and_the_ui_list_stays_exact(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        state = await tab.call("story.create", demo="alice-in-wonderland")
        held, version = state["diagnostics"], state["diagnostics_version"]
        keys = [c["key"] for c in state["story"]["blueprint"]["chapters"]]
        tab.pushes.clear()
        for tag, (key, value) in enumerate(
            [(keys[0], "Down."), (keys[0], None), (keys[-1], "x"), (keys[1], "y"), (keys[1], "yz")],
            start=1,
        ):
            push = await _typed(tab, state, key, value, tag)
            assert push["diagnostics"] is None
            assert push["delta"]["base"] == version
            held, version = _patched(held, push["delta"]), push["diagnostics_version"]
            diagnosed = await tab.call("story.diagnose", story_id=state["story_id"])
            assert diagnosed["diagnostics"] == held
            assert diagnosed["problem_counts"] == push["problem_counts"]
            version = diagnosed["diagnostics_version"]
        # More text in a draft that had some changes no problem: nothing to patch.
        assert push["delta"]["splices"] == []

    world.run(body())


def test_a_story_loaded_again_sends_its_whole_list_under_a_newer_version(world: World) -> None:
    async def body() -> None:
        tab = await world.started_tab()
        state = await tab.call("story.create", demo="alice-in-wonderland")
        key = state["story"]["blueprint"]["chapters"][0]["key"]
        tab.studio.sessions.forget(state["story_id"])  # as after the trash was emptied elsewhere
        tab.pushes.clear()
        push = await _typed(tab, state, key, "Down.", 1)
        assert push["delta"] is None
        diagnosed = await tab.call("story.diagnose", story_id=state["story_id"])
        assert push["diagnostics"] == diagnosed["diagnostics"]
        assert push["diagnostics_version"] > state["diagnostics_version"]

    world.run(body())
