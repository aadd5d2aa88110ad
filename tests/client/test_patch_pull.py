"""Pulls as patches (ADR 0113), against the real API on both backends: a device that says
which revision it holds gets the core's patches to the head, which reproduce the head byte for
byte; a device whose copy differs falls back to the whole story; a pull without ``have`` (the
v1 ``GET`` every released client sends) still gets whole stories."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from story_gen.client import PulledStory, StoryApiClient, SyncEngine, sync
from story_gen.client.syncing import pull_all
from story_gen.core import Chapter, Story, StoryBlueprint, to_canonical_json
from story_gen.core.patch import replay

from .conftest import PASSWORD
from .devices import InProcess


def book(chapters: int, story_id: uuid.UUID | None = None) -> Story:
    return Story.new(
        story_id=story_id or uuid.uuid4(),
        title="Book",
        blueprint=StoryBlueprint(
            premise="A long book.",
            chapters=[
                Chapter(key=f"c{n}", title=f"Chapter {n}", objective=f"Objective {n}.")
                for n in range(chapters)
            ],
        ),
        now=datetime(2026, 1, 1, tzinfo=UTC),
    )


def with_objective(story: Story, index: int, value: str) -> Story:
    chapters = list(story.blueprint.chapters)
    chapters[index] = chapters[index].model_copy(update={"objective": value})
    blueprint = story.blueprint.model_copy(update={"chapters": chapters})
    return story.model_copy(update={"blueprint": blueprint})


def signed_in(url: str, email: str, *, transport: InProcess | None = None) -> StoryApiClient:
    api = StoryApiClient(url, transport=transport)
    api.login(email, PASSWORD)
    return api


@pytest.fixture
def two_devices(live_url: str) -> Iterator[tuple[StoryApiClient, StoryApiClient]]:
    email = f"p{uuid.uuid4().hex[:10]}@example.org"
    with StoryApiClient(live_url) as setup:
        setup.register(email, PASSWORD, "Patches")
    a, b = signed_in(live_url, email), signed_in(live_url, email)
    yield a, b
    a.close()
    b.close()


def sha256(story: Story) -> str:
    return hashlib.sha256(to_canonical_json(story).encode("utf-8")).hexdigest()


def the_change(changes: list[PulledStory], story_id: uuid.UUID) -> PulledStory:
    [change] = [change for change in changes if change.story_id == story_id]
    return change


def test_a_one_field_edit_comes_as_a_patch_that_gives_the_head(
    two_devices: tuple[StoryApiClient, StoryApiClient],
) -> None:
    api_a, api_b = two_devices
    a, b = SyncEngine(), SyncEngine()
    story = book(200)
    a.edit(story)
    sync(api_a, a)
    sync(api_b, b)
    cursor, held = b.pull_cursor(), b.held_revisions()
    assert held == {story.story_id: 1}
    a.edit(with_objective(a.stories()[story.story_id], 7, "Moved on."))
    sync(api_a, a)

    answer = api_b.pull(cursor, 50, held)
    change = the_change(answer.changes, story.story_id)
    assert change.story is None
    assert (change.patch_from, change.revision) == (1, 2)
    assert change.patches is not None
    assert len(change.patches) == 1
    # Small: the story itself is tens of kilobytes.
    assert len(answer.model_dump_json()) < 1024
    report = b.apply_pull(cursor, answer)
    assert report.changed == {story.story_id}
    assert not report.refetch
    head = api_b.get_story(story.story_id)
    assert to_canonical_json(b.stories()[story.story_id]) == to_canonical_json(head.to_story())
    assert change.sha256 == sha256(head.to_story())
    assert b.pull_cursor() == answer.cursor


def test_a_pull_without_have_still_answers_whole_stories(
    two_devices: tuple[StoryApiClient, StoryApiClient],
) -> None:
    api_a, api_b = two_devices
    a = SyncEngine()
    story = book(20)
    a.edit(story)
    sync(api_a, a)
    a.edit(with_objective(a.stories()[story.story_id], 3, "Changed."))
    sync(api_a, a)
    # The v1 GET, as released clients and the studio's pull send it.
    raw = api_b._http.get("/api/v1/sync/pull", headers={"Authorization": f"Bearer {api_b.token}"})
    assert raw.status_code == 200
    [pulled] = raw.json()["changes"]
    assert pulled["story"]["blueprint"]["chapters"][3]["objective"] == "Changed."
    assert set(pulled) == {"story_id", "revision", "deleted", "story"}
    engine = SyncEngine()
    sync(api_b, engine, patches=False)
    assert to_canonical_json(engine.stories()[story.story_id]) == to_canonical_json(
        a.stories()[story.story_id]
    )


def test_a_copy_that_differs_from_the_servers_is_pulled_whole(
    two_devices: tuple[StoryApiClient, StoryApiClient],
) -> None:
    api_a, api_b = two_devices
    a, b = SyncEngine(), SyncEngine()
    story = book(30)
    a.edit(story)
    sync(api_a, a)
    sync(api_b, b)
    # B's copy of revision 1 is damaged (not what the server holds as revision 1).
    tracked = b.state.stories[story.story_id]
    assert tracked.shadow is not None
    tracked.shadow = with_objective(tracked.shadow, 0, "Not the server's.")
    a.edit(with_objective(a.stories()[story.story_id], 5, "Edited on A."))
    sync(api_a, a)

    cursor = b.pull_cursor()
    answer = api_b.pull(cursor, 50, b.held_revisions())
    assert the_change(answer.changes, story.story_id).patches is not None
    report = b.apply_pull(cursor, answer)
    assert report.refetch == {story.story_id}
    assert b.pull_cursor() == cursor, "the cursor stays until the story is pulled whole"
    assert story.story_id not in b.held_revisions()
    again = api_b.pull(cursor, 50, b.held_revisions())
    assert the_change(again.changes, story.story_id).story is not None
    b.apply_pull(cursor, again)
    assert b.pull_cursor() == again.cursor
    assert not b.state.whole
    assert to_canonical_json(b.stories()[story.story_id]) == to_canonical_json(
        api_b.get_story(story.story_id).to_story()
    )


def test_patches_from_a_revision_the_device_does_not_hold_fall_back(
    two_devices: tuple[StoryApiClient, StoryApiClient],
) -> None:
    api_a, api_b = two_devices
    a, b = SyncEngine(), SyncEngine()
    story = book(10)
    a.edit(story)
    sync(api_a, a)
    for value in ("one", "two"):
        a.edit(with_objective(a.stories()[story.story_id], 1, value))
        sync(api_a, a)
    sync(api_b, b)  # B holds revision 3
    a.edit(with_objective(a.stories()[story.story_id], 2, "three"))
    sync(api_a, a)
    cursor = b.pull_cursor()
    # The request names revision 2 (a device that lost track), the engine holds 3.
    answer = api_b.pull(cursor, 50, {story.story_id: 2})
    assert the_change(answer.changes, story.story_id).patch_from == 2
    assert b.apply_pull(cursor, answer).refetch == {story.story_id}
    report = sync(api_b, b)
    assert story.story_id in report.changed
    assert to_canonical_json(b.stories()[story.story_id]) == to_canonical_json(
        a.stories()[story.story_id]
    )


def test_sync_converges_through_patch_pulls_with_edits_on_both_devices(
    two_devices: tuple[StoryApiClient, StoryApiClient],
) -> None:
    api_a, api_b = two_devices
    a, b = SyncEngine(), SyncEngine()
    story = book(40)
    a.edit(story)
    sync(api_a, a)
    sync(api_b, b)
    for round_ in range(4):
        a.edit(with_objective(a.stories()[story.story_id], round_, f"A{round_}"))
        b.edit(with_objective(b.stories()[story.story_id], 20 + round_, f"B{round_}"))
        assert not sync(api_a, a).refetch
        assert not sync(api_b, b).refetch
    sync(api_a, a)
    server = api_a.get_story(story.story_id).to_story()
    assert to_canonical_json(a.stories()[story.story_id]) == to_canonical_json(server)
    assert to_canonical_json(b.stories()[story.story_id]) == to_canonical_json(server)


def test_a_device_far_behind_gets_one_diff_instead_of_every_stored_patch(
    two_devices: tuple[StoryApiClient, StoryApiClient],
) -> None:
    api_a, api_b = two_devices
    a = SyncEngine()
    story = book(30)
    a.edit(story)
    sync(api_a, a)
    for n in range(24):
        a.edit(with_objective(a.stories()[story.story_id], n % 30, f"edit {n}"))
        sync(api_a, a)
    answer = api_b.pull(None, 50, {story.story_id: 1})
    change = the_change(answer.changes, story.story_id)
    assert change.revision == 25
    assert change.patches is not None
    assert len(change.patches) == 1
    start = api_b.revision(story.story_id, 1).to_story()
    assert to_canonical_json(replay(start, change.patches)) == to_canonical_json(
        a.stories()[story.story_id]
    )
    near = the_change(api_b.pull(None, 50, {story.story_id: 22}).changes, story.story_id)
    assert near.patches is not None
    assert len(near.patches) == 3


# -- patches reproduce the head byte for byte, whatever the edits (in-process: many examples)

texts = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    max_size=30,
)
edits = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.sampled_from(["objective", "title", "draft_text", "premise", "add", "drop"]),
        texts,
    ),
    min_size=1,
    max_size=8,
)


def edited(story: Story, index: int, kind: str, text: str) -> Story:
    blueprint = story.blueprint
    chapters = list(blueprint.chapters)
    if kind == "premise":
        return story.model_copy(
            update={"blueprint": blueprint.model_copy(update={"premise": text})}
        )
    if kind == "add":
        chapters.insert(
            index % (len(chapters) + 1), Chapter(key=f"k{uuid.uuid4().hex[:8]}", title=text)
        )
    elif kind == "drop" and len(chapters) > 1:
        del chapters[index % len(chapters)]
    elif kind in ("objective", "title", "draft_text"):
        where = index % len(chapters)
        value = (chapters[where].draft_text or "") + "\n" + text if kind == "draft_text" else text
        chapters[where] = chapters[where].model_copy(update={kind: value})
    return story.model_copy(
        update={"blueprint": blueprint.model_copy(update={"chapters": chapters})}
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=edits, held=st.integers(1, 9))
def test_pulled_patches_reproduce_the_head_byte_for_byte(
    client: TestClient, steps: list[tuple[int, str, str]], held: int
) -> None:
    transport = InProcess(client)
    email = f"h{uuid.uuid4().hex[:10]}@example.org"
    with StoryApiClient("http://testserver", transport=transport) as api:
        api.register(email, PASSWORD, "Hypothesis")
        api.login(email, PASSWORD)
        engine = SyncEngine()
        story = book(30)
        engine.edit(story)
        sync(api, engine)
        for index, kind, text in steps:
            engine.edit(edited(engine.stories()[story.story_id], index, kind, text))
            sync(api, engine)
        head = api.get_story(story.story_id)
        base = min(held, head.revision)
        answer = api.pull(None, 50, {story.story_id: base})
        change = the_change(answer.changes, story.story_id)
        expected = to_canonical_json(head.to_story())
        if change.patches is None:
            # Larger than half the story: sent whole.
            assert change.story is not None
            assert to_canonical_json(change.story.to_story()) == expected
            return
        assert change.patch_from == base
        assert change.revision == head.revision
        start = api.revision(story.story_id, base).to_story()
        result = replay(start, change.patches)
        assert to_canonical_json(result) == expected
        assert change.sha256 == hashlib.sha256(expected.encode("utf-8")).hexdigest()


def test_pull_all_names_only_the_stories_held_when_it_began(live_url: str) -> None:
    email = f"f{uuid.uuid4().hex[:10]}@example.org"
    writer = StoryApiClient(live_url)
    writer.register(email, PASSWORD, "Pages")
    writer.login(email, PASSWORD)
    engine = SyncEngine()
    stories = [book(3) for _ in range(3)]
    for story in stories:
        engine.edit(story)
    sync(writer, engine)
    sent: list[dict[str, int]] = []

    def record(request: httpx.Request) -> None:
        if request.url.path == "/api/v1/sync/pull":
            sent.append(json.loads(request.read())["have"])

    http = httpx.Client(base_url=live_url, event_hooks={"request": [record]})
    with StoryApiClient(live_url, token=writer.token, http=http) as reader:
        fresh = SyncEngine()
        pull_all(reader, fresh, limit=1)
        assert len(fresh.stories()) == 3
        assert sent == [{}, {}, {}], "a fresh device's later pages name nothing"
        sent.clear()
        engine.edit(with_objective(engine.stories()[stories[1].story_id], 0, "Changed."))
        sync(writer, engine)
        report = pull_all(reader, fresh, limit=1)
        assert report.changed == {stories[1].story_id}
        assert sent == [{str(story.story_id): 1 for story in stories}]
    writer.close()
