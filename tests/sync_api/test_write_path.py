"""The write path under load and races (issue 13, items 1 and 5), on both backends.

- A push's proposal (its three-way merge) is computed without holding the write lock, so
  another user's write goes through while it runs.
- A crafted stale push of repeated lines is merged with bounded work: a text conflict that
  keeps both versions.
- Two users creating the same story id at once: one story, the other change ``rejected``
  (never a 503); a change on another user's story answers like one on an unknown story.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import MutableMapping
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from story_gen.core import Story, StoryBlueprint
from story_gen.sync_api import create_app
from story_gen.sync_api.clock import FakeClock
from story_gen.sync_api.crud.users import bump_change_seq
from story_gen.sync_api.documents import Current, Proposal, write_story
from story_gen.sync_api.merging import merge_onto_head
from story_gen.sync_api.models import User

from .conftest import Api, fixture_blueprint, push_changes, sync_change


def _user_id(api: Api, headers: dict[str, str]) -> uuid.UUID:
    return uuid.UUID(api.client.get("/api/v1/me", headers=headers).json()["user_id"])


def test_a_proposal_is_computed_without_holding_the_write_lock(app: FastAPI, api: Api) -> None:
    services = app.state.services
    writer, other = api.user(), api.user()
    story = api.create_story(writer)
    other_id = _user_id(api, other)
    seen: list[int] = []

    def propose(session: Any, current: Current | None) -> Proposal:
        assert current is not None
        # Another user's write, in its own transaction, while this proposal is computed: on
        # SQLite it would wait for (and time out on) a write lock held by this proposal.
        done = threading.Event()

        def write() -> None:
            with services.db.transaction() as own:
                seen.append(bump_change_seq(session=own, user_id=other_id))
            done.set()

        thread = threading.Thread(target=write)
        thread.start()
        thread.join(timeout=10)
        assert done.is_set(), "another user's write waited for this proposal"
        retitled = current.story.model_copy(update={"title": "Retitled"})
        return Proposal(story=Story.model_validate(retitled.model_dump()), origin="update")

    written = write_story(
        services,
        owner_id=_user_id(api, writer),
        story_id=uuid.UUID(story["story_id"]),
        propose=propose,
    )
    assert written is not None
    assert written.revision == 2
    assert len(seen) == 1
    head = api.client.get(f"/api/v1/stories/{story['story_id']}?view=full", headers=writer).json()
    assert head["title"] == "Retitled"


def _with_draft(lines: list[str]) -> dict[str, Any]:
    blueprint = fixture_blueprint()
    blueprint["chapters"][0]["draft_text"] = "\n".join(lines)
    return blueprint


def test_a_crafted_stale_push_of_repeated_lines_is_a_conflict_keeping_both(api: Api) -> None:
    headers = api.user()
    sid = str(uuid.uuid4())
    base_lines = ["x", "", "y"] * 700
    ours = ["x", "", "z"] * 700
    theirs = ["w", "", "y"] * 700
    [created] = push_changes(
        api.client, headers, sync_change(sid, 0, title="T", blueprint=_with_draft(base_lines))
    )
    assert created["status"] == "applied"
    [moved] = push_changes(api.client, headers, sync_change(sid, 1, blueprint=_with_draft(ours)))
    assert moved["status"] == "applied"
    [stale] = push_changes(api.client, headers, sync_change(sid, 1, blueprint=_with_draft(theirs)))
    assert stale["status"] == "merged"
    [conflict] = stale["conflicts"]
    assert conflict["kind"] == "text"
    both = {conflict["ours"], conflict["theirs"]}
    assert both == {"\n".join(ours).rstrip(), "\n".join(theirs).rstrip()}


def test_a_change_on_another_users_story_answers_like_an_unknown_story(api: Api) -> None:
    owner, intruder = api.user(), api.user()
    story = api.create_story(owner)
    edited = fixture_blueprint()
    edited["premise"] = "Taken over."
    theirs, unknown = push_changes(
        api.client,
        intruder,
        sync_change(story["story_id"], 1, blueprint=edited),
        sync_change(str(uuid.uuid4()), 1, blueprint=edited),
    )
    for result in (theirs, unknown):
        assert result["status"] == "rejected"
        [diagnostic] = result["diagnostics"]
        assert diagnostic["code"] == "story_not_found"
    assert theirs["diagnostics"][0]["message"].replace(story["story_id"], "?") == unknown[
        "diagnostics"
    ][0]["message"].replace(unknown["story_id"], "?")
    head = api.client.get(f"/api/v1/stories/{story['story_id']}?view=full", headers=owner).json()
    assert head["revision"] == 1


def _headers(base: str) -> dict[str, str]:
    email = f"r{uuid.uuid4().hex[:10]}@example.org"
    with httpx.Client(base_url=base, timeout=60) as http:
        http.post(
            "/api/v1/auth/register",
            json={"email": email, "password": "correct horse battery", "display_name": "R"},
        ).raise_for_status()
        token = http.post(
            "/api/v1/auth/login", json={"email": email, "password": "correct horse battery"}
        ).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_two_users_creating_the_same_story_id_at_once_get_one_story_and_no_503(
    live_url: str,
) -> None:
    users = [_headers(live_url), _headers(live_url)]
    for _ in range(5):
        sid = str(uuid.uuid4())
        barrier = threading.Barrier(len(users))
        answers: list[httpx.Response] = []

        def create(
            headers: dict[str, str],
            sid: str = sid,
            barrier: Any = barrier,
            answers: list[httpx.Response] = answers,
        ) -> None:
            body = {"changes": [sync_change(sid, 0, title="Mine", blueprint=fixture_blueprint())]}
            with httpx.Client(base_url=live_url, timeout=120, headers=headers) as http:
                barrier.wait()
                answers.append(http.post("/api/v1/sync/push", json=body))

        threads = [threading.Thread(target=create, args=(headers,)) for headers in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [answer.status_code for answer in answers] == [200, 200], [
            answer.text for answer in answers
        ]
        statuses = sorted(answer.json()["results"][0]["status"] for answer in answers)
        assert statuses == ["applied", "rejected"]
        [refused] = [
            result
            for result in (answer.json()["results"][0] for answer in answers)
            if result["status"] == "rejected"
        ]
        assert refused["diagnostics"][0]["code"] == "story_id_taken"


def test_a_merged_result_is_stored_by_reference_and_replayed_whole(app: FastAPI, api: Api) -> None:
    from sqlalchemy import select

    from story_gen.sync_api.models import PushResult

    headers = api.user()
    story = api.create_story(headers)
    sid = story["story_id"]
    moved = fixture_blueprint()
    moved["premise"] = "The head moved on."
    push_changes(api.client, headers, sync_change(sid, 1, blueprint=moved))
    stale = fixture_blueprint()
    stale["chapters"][0]["objective"] = "A stale edit."
    change = sync_change(sid, 1, blueprint=stale)
    [first] = push_changes(api.client, headers, change)
    assert first["status"] == "merged"
    assert first["story"]["blueprint"]["premise"] == "The head moved on."
    [again] = push_changes(api.client, headers, change)
    assert again == first
    with app.state.services.db.session() as session:
        row = session.scalars(
            select(PushResult).where(PushResult.change_id == uuid.UUID(change["change_id"]))
        ).one()
    assert "The head moved on." not in row.result_json
    assert len(row.result_json) < 1000


def test_push_results_are_pruned_after_the_replay_window(app: FastAPI, api: Api) -> None:
    from datetime import timedelta

    from story_gen.sync_api.ops.gc import prune_tables

    services = app.state.services
    email = api.register()["email"]
    headers = api.login(email)
    change = sync_change(str(uuid.uuid4()), 0, title="Kept", blueprint=fixture_blueprint())
    [first] = push_changes(api.client, headers, change)
    assert prune_tables(services)["push_results"] == 0
    clock = services.clock
    clock.advance(int(timedelta(days=services.settings.push_result_max_age_days).total_seconds()))
    assert prune_tables(services)["push_results"] == 1
    # A retry after the window is a change like any other: merged, never a lost edit.
    [again] = push_changes(api.client, api.login(email), change)
    assert again["status"] in ("applied", "merged")
    assert first["status"] == "applied"


def test_a_route_s_read_transaction_does_not_hold_the_write_lock(app: FastAPI, api: Api) -> None:
    # Issue 8: routes read in ``services.db.reading()`` transactions; on SQLite a plain BEGIN,
    # so a route that has read something does not stall every writer until it ends.
    services = app.state.services
    writer = _user_id(api, api.user())
    done = threading.Event()

    def write() -> None:
        with services.db.transaction() as own:
            bump_change_seq(session=own, user_id=writer)
        done.set()

    with services.db.reading() as session:
        assert session.scalar(select(User).where(User.id == writer)) is not None
        thread = threading.Thread(target=write)
        thread.start()
        thread.join(timeout=10)
        # The writer finished while the read transaction was still open.
        assert done.is_set()
    thread.join()


def test_a_push_past_its_time_budget_stops_and_a_retry_finishes_it(
    backend: str, settings_for: Any, clock: FakeClock, monkeypatch: Any
) -> None:
    from story_gen.sync_api.sync.push import push_change as real

    target = "story_gen.sync_api.routes.sync.push_change"

    def slow(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        clock.advance(6)  # each change takes 6 s of the push's 10 s
        return result

    monkeypatch.setattr(target, slow)
    app = create_app(settings_for(backend, push_budget_seconds=10), clock=clock)
    with TestClient(app) as client:
        api = Api(client)
        headers = api.user()
        changes = [
            sync_change(str(uuid.uuid4()), 0, title=f"T{n}", blueprint=fixture_blueprint())
            for n in range(3)
        ]
        refused = client.post("/api/v1/sync/push", json={"changes": changes}, headers=headers)
        assert refused.status_code == 503
        assert refused.json()["code"] == "push_budget_exceeded"
        assert "2 of its 3 changes" in refused.json()["message"]
        assert refused.headers["Retry-After"] == "1"
        monkeypatch.setattr(target, real)
        results = push_changes(client, headers, *changes)
        assert [r["status"] for r in results] == ["applied"] * 3
        assert [r["revision"] for r in results] == [1, 1, 1]
        stories = client.get("/api/v1/stories", headers=headers).json()
        assert sorted(s["title"] for s in stories) == ["T0", "T1", "T2"]
    app.state.services.db.dispose()


def test_a_push_whose_client_is_gone_starts_no_further_change(app: FastAPI, api: Api) -> None:
    headers = api.user()
    changes = [
        sync_change(str(uuid.uuid4()), 0, title=f"T{n}", blueprint=fixture_blueprint())
        for n in range(3)
    ]
    body = json.dumps({"changes": changes}).encode()
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        # The body, then the client hangs up.
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(dict(message))

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/sync/push",
        "raw_path": b"/api/v1/sync/push",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/json"),
            (b"authorization", headers["Authorization"].encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }

    async def call() -> None:
        await app(scope, receive, send)

    portal = api.client.portal
    assert portal is not None  # the client is open (the fixture entered it)
    portal.call(call)
    stories = api.client.get("/api/v1/stories", headers=headers).json()
    assert [s["title"] for s in stories] == ["T0"]  # the first change only


def test_a_stale_push_merged_in_a_worker_process_is_the_same_merge(
    backend: str, settings_for: Any, clock: FakeClock, monkeypatch: Any
) -> None:
    # ADR 0084: with STORY_GEN_MERGE_WORKERS the three-way merge runs in another process;
    # this one's merge would fail (the spawned worker imports its own, unpatched).
    def not_here(**_kwargs: Any) -> Any:
        raise AssertionError("merged in the serving process")

    monkeypatch.setattr("story_gen.sync_api.merge_pool.merge_onto_head", not_here)
    app = create_app(settings_for(backend, merge_workers=1), clock=clock)
    with TestClient(app) as client:
        api = Api(client)
        headers = api.user()
        sid = str(uuid.uuid4())
        base = fixture_blueprint()
        ours, theirs = fixture_blueprint(), fixture_blueprint()
        ours["premise"] = "Ours."
        ours["chapters"][0]["objective"] = "Our objective."
        theirs["premise"] = "Theirs."
        theirs["chapters"][1]["objective"] = "Their objective."
        push_changes(client, headers, sync_change(sid, 0, title="T", blueprint=base))
        push_changes(client, headers, sync_change(sid, 1, blueprint=ours))
        [result] = push_changes(client, headers, sync_change(sid, 1, blueprint=theirs))
        assert result["status"] == "merged"
        assert app.state.services.merges._executor is not None
        public = [
            client.get(f"/api/v1/stories/{sid}/revisions/{n}", headers=headers).json()
            for n in (1, 2)
        ]
        story_fields = ("story_id", "title", "blueprint", "created_at_utc", "updated_at_utc")
        revisions = [Story.model_validate({k: p[k] for k in story_fields}) for p in public]
        # The client's side as the server builds it from the change.
        stale = revisions[1].model_copy(
            update={"blueprint": StoryBlueprint.model_validate(theirs), "conflicts": []}
        )
        here = merge_onto_head(base=revisions[0], client=stale, head=revisions[1])
        assert result["story"]["blueprint"] == here.merged.model_dump(mode="json")["blueprint"]
        assert [c["path"] for c in result["conflicts"]] == [c.path for c in here.conflicts]
    app.state.services.db.dispose()
