"""The sync engine over the real API: devices that edit offline converge, nothing is lost."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from story_gen.client import StoryApiClient, SyncEngine, SyncState, sync
from story_gen.core import Story, load_blueprint

from .conftest import PASSWORD
from .devices import Device, Faults, canonical, server_stories

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "blueprints"

NewDevice = Callable[..., Device]


@pytest.fixture
def account(live_url: str) -> tuple[str, str]:
    email = f"s{uuid.uuid4().hex[:10]}@example.org"
    with StoryApiClient(live_url) as story_client:
        story_client.register(email, PASSWORD, "Sync")
    return live_url, email


@pytest.fixture
def new_device(account: tuple[str, str]) -> Iterator[NewDevice]:
    clients: list[StoryApiClient] = []

    def make(name: str, faults: Faults | None = None, seed: int = 0) -> Device:
        story_client = StoryApiClient(account[0])
        story_client.login(account[1], PASSWORD)
        clients.append(story_client)
        return Device(name, story_client, random.Random(seed), faults or Faults())

    yield make
    for story_client in clients:
        story_client.close()


def alice() -> Story:
    raw = json.loads((FIXTURES / "alice-in-wonderland.json").read_text("utf-8"))
    return Story.new(
        story_id=uuid.uuid4(),
        title="Alice",
        blueprint=load_blueprint(raw),
        now=__import__("datetime").datetime(2026, 1, 1, tzinfo=__import__("datetime").UTC),
    )


def with_chapter(story: Story, index: int, **fields: object) -> Story:
    chapters = list(story.blueprint.chapters)
    chapters[index] = chapters[index].model_copy(update=fields)
    blueprint = story.blueprint.model_copy(update={"chapters": chapters})
    return story.model_copy(update={"blueprint": blueprint})


def test_offline_edits_merge_and_a_same_field_edit_is_one_conflict(new_device: NewDevice) -> None:
    a, b = new_device("a"), new_device("b")
    story = alice()
    a.edit(story)
    a.settle()
    b.settle()
    assert canonical(a.stories()) == canonical(b.stories())
    base = b.stories()[story.story_id]
    a.edit(with_chapter(a.stories()[story.story_id], 0, objective="A's objective"))
    b.edit(with_chapter(base, 1, objective="B's objective"))
    a.edit(with_chapter(a.stories()[story.story_id], 2, objective="written on A"))
    b.edit(with_chapter(b.stories()[story.story_id], 2, objective="written on B"))
    a.settle()
    b.settle()
    a.settle()
    assert canonical(a.stories()) == canonical(b.stories()) == canonical(server_stories(a.client))
    merged = a.stories()[story.story_id]
    chapters = merged.blueprint.chapters
    assert chapters[0].objective == "A's objective"
    assert chapters[1].objective == "B's objective"
    [conflict] = merged.conflicts
    assert conflict.path == f"chapters[{chapters[2].key}].objective"
    assert {conflict.ours, conflict.theirs} == {"written on A", "written on B"}


def test_a_lost_push_answer_is_sent_again_and_makes_no_second_revision(
    new_device: NewDevice,
) -> None:
    a = new_device("a", Faults(drop=1.0))
    story = alice()
    a.edit(story)
    a.step()  # the server stores the story; the answer (and the pull's) is lost
    a.faults = Faults()
    first_change = a.engine().outgoing()[0].change_id
    a.settle()
    revisions = a.client.revisions(story.story_id)
    assert [r.revision for r in revisions] == [1]
    assert revisions[0].change_id == first_change
    assert canonical(a.stories()) == canonical(server_stories(a.client))


def test_deleted_on_one_device_and_edited_on_another_comes_back(new_device: NewDevice) -> None:
    a, b = new_device("a"), new_device("b")
    story = alice()
    a.edit(story)
    a.settle()
    b.settle()
    engine = a.engine()
    engine.delete(story.story_id)
    a.save(engine)
    b.edit(with_chapter(b.stories()[story.story_id], 0, objective="kept"))
    a.settle()
    b.settle()
    a.settle()
    assert a.stories()[story.story_id].blueprint.chapters[0].objective == "kept"
    assert canonical(a.stories()) == canonical(b.stories()) == canonical(server_stories(a.client))


def test_sync_runs_the_engine_over_the_client_and_the_state_survives_json(
    new_device: NewDevice,
) -> None:
    a = new_device("a")
    engine = SyncEngine()
    story = alice()
    engine.edit(story)
    report = sync(a.client, engine)
    assert report.rejected == []
    reloaded = SyncEngine(SyncState.model_validate_json(engine.state.model_dump_json()))
    assert reloaded.state == engine.state
    assert reloaded.outgoing() == []
    assert canonical(reloaded.stories()) == canonical(server_stories(a.client))
