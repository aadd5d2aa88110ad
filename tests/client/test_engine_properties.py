"""Properties of the sync engine alone (it does no I/O): a change in flight is stable until it
is answered, the state survives JSON, and answers the engine did not ask for change nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from story_gen.client import ChangeResult, PullAnswer, PushAnswer, SyncEngine, SyncState
from story_gen.core import Chapter, Story, StoryBlueprint

TEXT = st.text(alphabet="abc xyz", min_size=1, max_size=12).map(str.strip).filter(bool)
EDITS = st.lists(st.tuples(st.integers(0, 2), TEXT), min_size=1, max_size=8)


def story() -> Story:
    chapters = [Chapter(key=f"c{i}", title=f"Chapter {i}", objective="start") for i in range(3)]
    return Story.new(
        story_id=uuid.UUID(int=7, version=4),
        title="Property",
        blueprint=StoryBlueprint(premise="p", chapters=chapters),
        now=datetime(2026, 1, 1, tzinfo=UTC),
    )


def edited(current: Story, index: int, value: str) -> Story:
    chapters = list(current.blueprint.chapters)
    chapters[index] = chapters[index].model_copy(update={"objective": value})
    blueprint = current.blueprint.model_copy(update={"chapters": chapters})
    return current.model_copy(update={"blueprint": blueprint})


def engine_with(edits: list[tuple[int, str]], *, on_server: bool) -> SyncEngine:
    engine = SyncEngine()
    if on_server:
        engine.adopt(story(), 3)
    else:
        engine.edit(story())
    for index, value in edits:
        engine.edit(edited(engine.stories()[story().story_id], index, value))
    return engine


@given(EDITS, EDITS, st.booleans())
def test_a_change_in_flight_is_sent_again_unchanged(
    first: list[tuple[int, str]], later: list[tuple[int, str]], on_server: bool
) -> None:
    engine = engine_with(first, on_server=on_server)
    sent = engine.outgoing()
    for index, value in later:  # edits made while the change is in flight
        engine.edit(edited(engine.stories()[story().story_id], index, value))
    assert engine.outgoing() == sent
    reloaded = SyncEngine(SyncState.model_validate_json(engine.state.model_dump_json()))
    assert reloaded.state == engine.state
    assert reloaded.outgoing() == sent


@given(EDITS, st.booleans())
def test_answers_the_engine_did_not_ask_for_change_nothing(
    edits: list[tuple[int, str]], on_server: bool
) -> None:
    engine = engine_with(edits, on_server=on_server)
    engine.outgoing()
    before = engine.state.model_copy(deep=True)
    stranger = ChangeResult(
        change_id=uuid.uuid4(), story_id=story().story_id, status="applied", revision=99
    )
    report = engine.apply_push(PushAnswer(results=[stranger]))
    late_pull = PullAnswer(changes=[], cursor="v1.999", has_more=False)
    report_pull = engine.apply_pull("v1.0", late_pull)  # asked with another cursor
    assert engine.state == before
    assert not report.changed
    assert not report_pull.changed
