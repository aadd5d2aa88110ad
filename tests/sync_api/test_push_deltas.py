"""A patch pushed on the head is stored as the revision's delta as it came (ADR 0130).

The server applies such a patch in one pass together with its own time stamp, and keeps that
patch as the delta instead of diffing the two documents. What must hold: every revision reads
back exactly (cold, from the stored chain), a device holding the previous revision gets the
pushed operations back as patches and can apply them exactly (expectations checked, as the
client's patch-by-patch fallback does), and the size limit still refuses an oversized result.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from story_gen.core import Story, diff, to_canonical_json
from story_gen.core.patch import Patch, apply_patch
from story_gen.sync_api import create_app
from story_gen.sync_api.blobs import content_key
from story_gen.sync_api.clock import FakeClock
from story_gen.sync_api.document_cache import DocumentCache
from story_gen.sync_api.documents import revision_document
from story_gen.sync_api.services import Services

from .conftest import Api, edited_story, push_changes, sync_change

FIELDS = ("story_id", "title", "blueprint", "created_at_utc", "updated_at_utc", "conflicts")


def _story(public: dict[str, Any]) -> Story:
    return Story.model_validate({k: public[k] for k in FIELDS})


def _pulled(client: TestClient, headers: dict[str, str], sid: str, held: int) -> dict[str, Any]:
    response = client.post("/api/v1/sync/pull", json={"have": {sid: held}}, headers=headers)
    assert response.status_code == 200, response.text
    [change] = [c for c in response.json()["changes"] if c["story_id"] == sid]
    return dict(change)


@pytest.fixture
def pushing(
    backend: str, settings_for: Any, clock: FakeClock
) -> Iterator[tuple[Api, Services, FakeClock]]:
    app = create_app(settings_for(backend, revision_snapshot_every=4), clock=clock)
    with TestClient(app) as client:
        yield Api(client), app.state.services, clock
    app.state.services.db.dispose()


def test_the_pushed_operations_come_back_to_a_device_one_revision_behind(
    pushing: tuple[Api, Services, FakeClock],
) -> None:
    api, _, clock = pushing
    client, headers = api.client, api.user()
    created = api.create_story(headers)
    sid, story = created["story_id"], _story(created)
    chapter = story.blueprint.chapters[1]
    # The client stamped its edit too: the server's stamp replaces it, and the stored stamp
    # operation expects the previous revision's value.
    client_stamp = "2001-02-03T04:05:06Z"
    ops = [
        {
            "op": "set",
            "path": f"chapters[{chapter.key}].objective",
            "old": chapter.objective,
            "new": "Find the key",
        },
        {
            "op": "set",
            "path": "updated_at_utc",
            "old": created["updated_at_utc"],
            "new": client_stamp,
        },
    ]
    clock.advance(60)
    [result] = push_changes(client, headers, sync_change(sid, 1, patch={"ops": ops}))
    assert result["status"] == "applied", result
    head = client.get(f"/api/v1/stories/{sid}?view=full", headers=headers).json()
    assert head["updated_at_utc"] == result["updated_at_utc"] != client_stamp
    change = _pulled(client, headers, sid, 1)
    assert change["patch_from"] == 1
    [patch] = [Patch.model_validate(p) for p in change["patches"]]
    assert [op.model_dump(mode="json") for op in patch.ops] == [
        ops[0],
        {**ops[1], "new": result["updated_at_utc"]},
    ]
    # Checked operation by operation against the revision the device holds.
    after = apply_patch(story, patch)
    assert to_canonical_json(after) == to_canonical_json(_story(head))
    digest = content_key(to_canonical_json(after).encode("utf-8")).rsplit("/", 1)[-1]
    assert change["sha256"] == digest


def test_a_story_over_the_limit_whose_blueprint_fits_is_applied(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    # The size check measures the story's JSON first (it holds the blueprint's) and the
    # blueprint's own JSON only when the story's is over the limit.
    app = create_app(settings_for(backend, max_blueprint_bytes=2048), clock=clock)
    with TestClient(app) as client:
        api = Api(client)
        headers = api.user()
        title = "T" * 190
        created = client.post(
            "/api/v1/stories?view=full",
            json={"title": title, "blueprint": {"premise": "short"}},
            headers=headers,
        ).json()
        blueprint_size = len(to_canonical_json(_story(created).blueprint).encode("utf-8"))
        new = "p" * (2048 - blueprint_size + len("short") - 8)
        grow = {"ops": [{"op": "set", "path": "premise", "old": "short", "new": new}]}
        [result] = push_changes(client, headers, sync_change(created["story_id"], 1, patch=grow))
        assert result["status"] == "applied", result
        story = client.get(f"/api/v1/stories/{created['story_id']}?view=full", headers=headers)
        grown = _story(story.json())
        assert len(to_canonical_json(grown.blueprint).encode("utf-8")) <= 2048
        assert len(to_canonical_json(grown).encode("utf-8")) > 2048
    app.state.services.db.dispose()


EDITS = st.lists(
    st.tuples(
        st.sampled_from(["objective", "premise", "add", "remove", "move", "draft", "noop"]),
        st.integers(min_value=0, max_value=30),
    ),
    min_size=1,
    max_size=10,
)


def _edit(story: Story, kind: str, number: int) -> dict[str, Any]:
    """A patch as a client would push it: the core's diff, or an operation that changes
    nothing (a client may send one; the core's diff never makes it)."""
    if kind == "noop":
        premise = story.blueprint.premise
        return {"ops": [{"op": "set", "path": "premise", "old": premise, "new": premise}]}
    return diff(story, edited_story(story, kind, number)).model_dump(mode="json")


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=EDITS)
def test_pushed_patches_read_back_exactly_and_pull_as_exact_patches(
    pushing: tuple[Api, Services, FakeClock], edits: list[tuple[str, int]]
) -> None:
    api, services, clock = pushing
    client, headers = api.client, api.user()
    created = api.create_story(headers)
    sid, revision = created["story_id"], created["revision"]
    held = {revision: _story(created)}
    written = {revision: to_canonical_json(held[revision]).encode("utf-8")}
    for kind, number in edits:
        clock.advance(1)
        patch = _edit(held[revision], kind, number)
        [result] = push_changes(client, headers, sync_change(sid, revision, patch=patch))
        assert result["status"] == "applied", result
        change = _pulled(client, headers, sid, revision)
        story = held[revision]
        if change["patches"] is None:  # a large edit comes whole
            story = _story(change["story"])
        else:
            for pulled in change["patches"]:
                story = apply_patch(story, Patch.model_validate(pulled))
        revision = result["revision"]
        head = client.get(f"/api/v1/stories/{sid}?view=full", headers=headers).json()
        assert head["revision"] == revision
        assert to_canonical_json(story) == to_canonical_json(_story(head))
        held[revision] = story
        written[revision] = to_canonical_json(story).encode("utf-8")
    cold = dataclasses.replace(services, documents=DocumentCache(max_bytes=1 << 30))
    with services.db.reading() as session:
        for number, expected in written.items():
            document = revision_document(cold, session, story_id=uuid.UUID(sid), revision=number)
            assert to_canonical_json(document).encode("utf-8") == expected


def test_a_replayed_patch_answers_its_first_result_after_the_story_moved_on(
    pushing: tuple[Api, Services, FakeClock],
) -> None:
    # A patch's replay is found in the write's first read transaction (no lookup before it).
    api, _, clock = pushing
    client, headers = api.client, api.user()
    created = api.create_story(headers)
    sid, story = created["story_id"], _story(created)
    chapter = story.blueprint.chapters[0]
    first = sync_change(
        sid,
        1,
        patch={
            "ops": [
                {
                    "op": "set",
                    "path": f"chapters[{chapter.key}].objective",
                    "old": chapter.objective,
                    "new": "First",
                }
            ]
        },
    )
    [applied] = push_changes(client, headers, first)
    later = sync_change(
        sid,
        2,
        patch={
            "ops": [
                {
                    "op": "set",
                    "path": f"chapters[{chapter.key}].objective",
                    "old": "First",
                    "new": "Later",
                }
            ]
        },
    )
    clock.advance(5)
    [moved] = push_changes(client, headers, later)
    assert (applied["status"], moved["status"]) == ("applied", "applied")
    for _ in range(2):
        [again] = push_changes(client, headers, first)
        assert again == applied
    revisions = client.get(f"/api/v1/stories/{sid}/revisions", headers=headers).json()
    assert [r["revision"] for r in revisions] == [3, 2, 1]
    head = client.get(f"/api/v1/stories/{sid}?view=full", headers=headers).json()
    assert head["blueprint"]["chapters"][0]["objective"] == "Later"


def test_a_stored_delta_larger_than_half_the_story_comes_whole(
    pushing: tuple[Api, Services, FakeClock],
) -> None:
    # The size compared is the head revision's document, read with the stored deltas.
    api, _, clock = pushing
    client, headers = api.client, api.user()
    created = client.post(
        "/api/v1/stories?view=full",
        json={"title": "Small", "blueprint": {"premise": "short"}},
        headers=headers,
    ).json()
    sid = created["story_id"]
    # Compresses to a few bytes, so it is stored as a delta, yet is most of the story.
    grow = {"ops": [{"op": "set", "path": "premise", "old": "short", "new": "y" * 3000}]}
    clock.advance(1)
    [result] = push_changes(client, headers, sync_change(sid, 1, patch=grow))
    assert result["status"] == "applied", result
    whole = _pulled(client, headers, sid, 1)
    assert whole["patches"] is None
    assert whole["story"]["blueprint"]["premise"] == "y" * 3000
