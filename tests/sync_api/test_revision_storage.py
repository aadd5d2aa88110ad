"""Revisions stored as compressed deltas against periodic snapshots (issue 13 item 10, ADR 0081)
and the per-story history limit (item 4, ADR 0082), on both backends.

- A history written as today's (pre-0002) full canonical-JSON blobs reads back byte-for-byte the
  same through the API before and after ``repack_revisions``, and after the blob GC removed the
  old blobs; new writes on top chain onto it.
- Any sequence of edits written through the one write path reads back exactly, revision by
  revision, from storage alone (hypothesis).
- One-field edits store a few hundred bytes each; a snapshot every N revisions.
- Past ``max_revisions_per_story`` the oldest chains are pruned (never the head); a pruned
  revision is a 404 that says so; a push made on a pruned base is merged, not refused.
"""

from __future__ import annotations

import base64
import dataclasses
import random
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from story_gen.core import Story, to_canonical_json
from story_gen.sync_api import create_app
from story_gen.sync_api.blobs import content_key
from story_gen.sync_api.clock import FakeClock
from story_gen.sync_api.crud.users import bump_change_seq
from story_gen.sync_api.document_cache import DocumentCache
from story_gen.sync_api.documents import (
    Current,
    Proposal,
    revision_document,
    to_public,
    write_story,
)
from story_gen.sync_api.jobs.tasks import run_job
from story_gen.sync_api.models import Revision, StoryHead
from story_gen.sync_api.revision_store import MAX_DELTA_BYTES
from story_gen.sync_api.services import Services

from .conftest import Api, edited_story, fixture_blueprint, push_changes, sync_change


def _user_id(api: Api, headers: dict[str, str]) -> uuid.UUID:
    return uuid.UUID(api.client.get("/api/v1/me", headers=headers).json()["user_id"])


def _versions(count: int) -> Iterator[dict[str, Any]]:
    """Successive blueprints of one story: edited fields, added, removed and moved chapters,
    a rewritten draft."""
    blueprint = fixture_blueprint()
    for step in range(count):
        chapters = blueprint["chapters"]
        kind = step % 5
        if kind == 0:
            blueprint["premise"] = f"Premise, take {step}."
        elif kind == 1:
            chapters[step % len(chapters)]["objective"] = f"Objective {step}."
        elif kind == 2:
            chapters.insert(1, {**chapters[0], "key": f"added-{step}", "prerequisites": []})
        elif kind == 3:
            chapters.append(chapters.pop(1))
        else:
            chapters[0]["draft_text"] = "\n".join(f"Line {step}.{n}" for n in range(step % 7 + 1))
        yield blueprint


def _legacy_history(services: Services, owner_id: uuid.UUID, count: int) -> uuid.UUID:
    """A story whose revisions are stored as the 0001 code stored them: each the document's
    canonical JSON, as its own blob, named by that JSON's sha256."""
    story_id = uuid.uuid4()
    now = services.clock.now()
    documents = [
        Story.model_validate(
            {
                "story_id": story_id,
                "title": f"Old tale {number}",
                "blueprint": blueprint,
                "created_at_utc": now,
                "updated_at_utc": now + timedelta(seconds=number),
            }
        )
        for number, blueprint in enumerate(_versions(count), start=1)
    ]
    with services.db.transaction() as session:
        seq = bump_change_seq(session=session, user_id=owner_id)
        last = documents[-1]
        keys = []
        for document in documents:
            data = to_canonical_json(document).encode("utf-8")
            keys.append((content_key(data), len(data)))
            services.blobs.put(keys[-1][0], data)
        session.add(
            StoryHead(
                id=story_id,
                owner_id=owner_id,
                title=last.title,
                revision=count,
                blob_key=keys[-1][0],
                conflict_count=0,
                created_at=now,
                updated_at=last.updated_at_utc,
                deleted_at=None,
                change_seq=seq,
            )
        )
        session.flush()
        for number, (key, size) in enumerate(keys, start=1):
            session.add(
                Revision(
                    story_id=story_id,
                    revision=number,
                    blob_key=key,
                    byte_size=size,
                    stored_key=key,
                    delta=None,
                    stored_bytes=size,
                    created_at=now,
                    origin="update",
                    change_id=None,
                )
            )
    return story_id


def _every_revision(client: TestClient, headers: dict[str, str], story_id: str) -> dict[int, bytes]:
    listed = client.get(f"/api/v1/stories/{story_id}/revisions", headers=headers)
    assert listed.status_code == 200, listed.text
    bodies = {}
    for row in listed.json():
        # The full view: every byte of the stored story (revision and conflicts included).
        got = client.get(
            f"/api/v1/stories/{story_id}/revisions/{row['revision']}?view=full", headers=headers
        )
        assert got.status_code == 200, got.text
        bodies[row["revision"]] = got.content
    return bodies


def _forget_documents(client: TestClient) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    cache = services.documents
    with cache._lock:
        cache._entries.clear()
        cache._bytes = 0


def _stored_forms(services: Services, story_id: uuid.UUID) -> list[tuple[int, str | None, int]]:
    with services.db.session() as session:
        rows = session.execute(
            select(Revision.revision, Revision.stored_key, Revision.stored_bytes)
            .where(Revision.story_id == story_id)
            .order_by(Revision.revision)
        ).all()
    return [(row[0], row[1], row[2]) for row in rows]


def test_a_pre_delta_history_reads_the_same_before_and_after_repack_and_gc(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    app = create_app(settings_for(backend, revision_snapshot_every=4), clock=clock)
    with TestClient(app) as client:
        services = app.state.services
        api = Api(client)
        headers = api.user()
        story_id = _legacy_history(services, _user_id(api, headers), 11)
        sid = str(story_id)
        today = _every_revision(client, headers, sid)
        assert len(today) == 11
        listed_before = client.get(f"/api/v1/stories/{sid}/revisions", headers=headers).json()

        report = run_job(services, "repack_revisions")
        assert report["revisions"] == 11
        assert report["bytes_after"] < report["bytes_before"] / 3
        forms = _stored_forms(services, story_id)
        with services.db.session() as session:
            legacy = select(Revision).where(Revision.stored_key == Revision.blob_key)
            assert session.scalars(legacy).all() == []
        assert [key is not None for _, key, _ in forms] == [n % 4 == 1 for n in range(1, 12)]
        assert run_job(services, "repack_revisions")["revisions"] == 0  # nothing left to do

        _forget_documents(client)
        assert _every_revision(client, headers, sid) == today
        # The revision list (sizes, content hashes) is unchanged too.
        assert client.get(f"/api/v1/stories/{sid}/revisions", headers=headers).json() == (
            listed_before
        )

        clock.advance(3 * 24 * 3600)  # the old blobs are past the GC's grace
        collected = run_job(services, "blob_gc")
        assert collected["deleted"] == 11  # every full JSON blob: nothing references them
        _forget_documents(client)
        assert _every_revision(client, headers, sid) == today

        # A write on top of the repacked history chains onto it.
        edited = dict(next(iter(_versions(1))), premise="After the repack.")
        put = client.put(
            f"/api/v1/stories/{sid}", json={"title": "New", "blueprint": edited}, headers=headers
        )
        assert put.status_code == 200, put.text
        _forget_documents(client)
        after = _every_revision(client, headers, sid)
        assert {n: after[n] for n in today} == today
        assert (
            put.json()["blueprint"]
            == (
                client.get(f"/api/v1/stories/{sid}/revisions/12", headers=headers).json()[
                    "blueprint"
                ]
            )
        )
    services.db.dispose()


def test_a_history_mid_upgrade_reads_and_repacks_around_new_deltas(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    # Legacy revisions 1-3, then revisions written by the new code (deltas on revision 3).
    app = create_app(settings_for(backend, revision_snapshot_every=50), clock=clock)
    with TestClient(app) as client:
        services = app.state.services
        api = Api(client)
        headers = api.user()
        story_id = _legacy_history(services, _user_id(api, headers), 3)
        sid = str(story_id)
        for number in range(2):
            current = client.get(f"/api/v1/stories/{sid}", headers=headers).json()
            blueprint = {**current["blueprint"], "premise": f"New code {number}."}
            assert (
                client.put(
                    f"/api/v1/stories/{sid}",
                    json={"title": current["title"], "blueprint": blueprint},
                    headers=headers,
                ).status_code
                == 200
            )
        forms = _stored_forms(services, story_id)
        assert [key is None for _, key, _ in forms] == [False, False, False, True, True]
        _forget_documents(client)
        before = _every_revision(client, headers, sid)
        run_job(services, "repack_revisions")
        forms = _stored_forms(services, story_id)
        # Revision 2 became a delta; revision 3, which new deltas build on, stays whole.
        assert [key is None for _, key, _ in forms] == [False, True, False, True, True]
        _forget_documents(client)
        assert _every_revision(client, headers, sid) == before
    services.db.dispose()


def test_one_field_edits_store_small_deltas_and_a_snapshot_every_n(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    app = create_app(settings_for(backend, revision_snapshot_every=10), clock=clock)
    with TestClient(app) as client:
        services = app.state.services
        api = Api(client)
        headers = api.user()
        created = api.create_story(headers)
        sid, revision = created["story_id"], created["revision"]
        chapter = created["blueprint"]["chapters"][2]["key"]
        for number in range(24):
            old = client.get(f"/api/v1/stories/{sid}", headers=headers).json()
            objective = old["blueprint"]["chapters"][2]["objective"]
            patch = {
                "ops": [
                    {
                        "op": "set",
                        "path": f"chapters[{chapter}].objective",
                        "old": objective,
                        "new": f"Edit {number}",
                    }
                ]
            }
            [result] = push_changes(client, headers, sync_change(sid, revision, patch=patch))
            assert result["status"] == "applied", result
            revision = result["revision"]
        forms = _stored_forms(services, uuid.UUID(sid))
        assert [n for n, key, _ in forms if key is not None] == [1, 11, 21]
        with services.db.session() as session:
            whole = session.scalar(select(Revision.byte_size).where(Revision.revision == 1))
        assert whole is not None
        deltas = [size for _, key, size in forms if key is None]
        assert max(deltas) < 600  # a one-field edit, not the document (whole is larger)
        assert whole > 10 * max(deltas)
        _forget_documents(client)
        latest = client.get(f"/api/v1/stories/{sid}/revisions/{revision}", headers=headers)
        assert latest.json()["blueprint"]["chapters"][2]["objective"] == "Edit 23"
    services.db.dispose()


EDITS = st.lists(
    st.tuples(
        st.sampled_from(["premise", "objective", "add", "remove", "draft", "title", "move"]),
        st.integers(min_value=0, max_value=40),
    ),
    min_size=1,
    max_size=12,
)


@pytest.fixture
def writable(backend: str, settings_for: Any, clock: FakeClock) -> Iterator[tuple[Api, Services]]:
    app = create_app(settings_for(backend, revision_snapshot_every=3), clock=clock)
    with TestClient(app) as client:
        yield Api(client), app.state.services
    app.state.services.db.dispose()


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=EDITS)
def test_any_edit_sequence_reads_back_exactly_from_storage(
    writable: tuple[Api, Services], edits: list[tuple[str, int]]
) -> None:
    api, services = writable
    headers = api.user()
    owner = _user_id(api, headers)
    story_id = uuid.UUID(api.create_story(headers)["story_id"])
    written: dict[int, bytes] = {}

    for kind, number in edits:

        def propose(
            _session: object, current: Current | None, kind: str = kind, number: int = number
        ) -> Proposal:
            assert current is not None
            return Proposal(story=edited_story(current.story, kind, number), origin="update")

        done = write_story(services, owner_id=owner, story_id=story_id, propose=propose)
        assert done is not None
        written[done.revision] = to_canonical_json(done.story).encode("utf-8")

    cold = dataclasses.replace(services, documents=DocumentCache(max_bytes=1 << 30))
    with services.db.reading() as session:
        for revision, expected in written.items():
            story = revision_document(cold, session, story_id=story_id, revision=revision)
            assert to_canonical_json(story).encode("utf-8") == expected


def test_history_past_the_limit_is_pruned_by_whole_chains_never_the_head(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    limits = {"max_revisions_per_story": 5, "revision_snapshot_every": 100}
    app = create_app(settings_for(backend, **limits), clock=clock)
    with TestClient(app) as client:
        services = app.state.services
        api = Api(client)
        headers = api.user()
        created = api.create_story(headers)
        sid = created["story_id"]
        stale_base = created["blueprint"]
        for number in range(11):
            blueprint = {**created["blueprint"], "premise": f"Premise {number}."}
            put = client.put(
                f"/api/v1/stories/{sid}",
                json={"title": "Tale", "blueprint": blueprint},
                headers=headers,
            )
            assert put.status_code == 200, put.text
        forms = _stored_forms(services, uuid.UUID(sid))
        kept = [n for n, _, _ in forms]
        # A snapshot at least every 5 (the limit caps the interval): 1, 6, 11 are whole.
        assert [n for n, key, _ in forms if key is not None] == [6, 11]
        assert kept == list(range(6, 13))  # the newest 5 and the rest of their chain
        _forget_documents(client)
        bodies = _every_revision(client, headers, sid)
        assert sorted(bodies) == kept
        assert (
            client.get(f"/api/v1/stories/{sid}", headers=headers).headers["X-Story-Revision"]
            == "12"
        )

        gone = client.get(f"/api/v1/stories/{sid}/revisions/2", headers=headers)
        assert gone.status_code == 404
        assert gone.json()["code"] == "revision_not_found"
        assert "pruned" in gone.json()["message"]
        assert "STORY_GEN_MAX_REVISIONS_PER_STORY" in gone.json()["message"]

        # A device that last saw revision 1 pushes its whole blueprint: merged, not refused.
        theirs = {**stale_base, "premise": "Offline premise."}
        offline = sync_change(sid, 1, blueprint=theirs)
        [result] = push_changes(client, headers, offline)
        assert result["status"] == "merged", result
        merged = result["story"]
        assert any(c["path"] == "premise" for c in merged["conflicts"])
        values = {str(v) for c in merged["conflicts"] for v in c.values()}
        assert any("Offline premise." in value for value in values)

        # Once that merged revision is pruned too, a retry of the change answers the same
        # result without the story, saying why, instead of failing.
        for number in range(12):
            blueprint = {**created["blueprint"], "premise": f"Later {number}."}
            assert (
                client.put(
                    f"/api/v1/stories/{sid}",
                    json={"title": "Tale", "blueprint": blueprint},
                    headers=headers,
                ).status_code
                == 200
            )
        [again] = push_changes(client, headers, offline)
        assert (again["status"], again["revision"]) == ("merged", result["revision"])
        assert again["story"] is None
        assert [d["code"] for d in again["diagnostics"]][-1] == "change.story_omitted"
    services.db.dispose()


def test_a_rewrite_larger_than_a_delta_may_be_starts_a_new_chain(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    app = create_app(settings_for(backend, revision_snapshot_every=50), clock=clock)
    with TestClient(app) as client:
        services = app.state.services
        api = Api(client)
        headers = api.user()
        created = api.create_story(headers)
        sid = created["story_id"]
        noise = random.Random(7).randbytes(MAX_DELTA_BYTES)
        for premise in ("A small edit.", base64.b64encode(noise).decode(), "Small again."):
            blueprint = {**created["blueprint"], "premise": premise}
            put = client.put(
                f"/api/v1/stories/{sid}",
                json={"title": "Tale", "blueprint": blueprint},
                headers=headers,
            )
            assert put.status_code == 200, put.text
        forms = _stored_forms(services, uuid.UUID(sid))
        # 2 a delta; 3 (an incompressible 85 KB premise) whole; 4 removes it: its delta
        # carries the old premise, so it is over the bound too and whole.
        assert [key is not None for _, key, _ in forms] == [True, False, True, True]
        _forget_documents(client)
        got = client.get(f"/api/v1/stories/{sid}/revisions/3", headers=headers)
        assert got.json()["blueprint"]["premise"] == base64.b64encode(noise).decode()
    services.db.dispose()


def test_a_read_that_races_a_repack_and_the_gc_finds_the_new_form(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    app = create_app(settings_for(backend, revision_snapshot_every=4), clock=clock)
    with TestClient(app) as client:
        services = app.state.services
        api = Api(client)
        headers = api.user()
        owner = _user_id(api, headers)
        story_id = _legacy_history(services, owner, 3)
        expected = _every_revision(client, headers, str(story_id))
        cold = dataclasses.replace(services, documents=DocumentCache(max_bytes=1 << 30))
        with services.db.reading() as session:
            # The reader's snapshot starts here, before the repack and the GC.
            assert session.scalar(select(Revision.stored_key).where(Revision.revision == 2))
            run_job(services, "repack_revisions")
            clock.advance(3 * 24 * 3600)
            assert run_job(services, "blob_gc")["deleted"] == 3
            story = revision_document(cold, session, story_id=story_id, revision=2)
        head = StoryHead(owner_id=owner, revision=2, deleted_at=None)
        assert to_public(head, story).model_dump_json().encode() == expected[2]
    services.db.dispose()
