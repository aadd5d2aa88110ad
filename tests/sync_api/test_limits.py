"""Size limits: request body (with and without Content-Length) and blueprint size."""

from __future__ import annotations

import asyncio
import base64
import json
import random
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from story_gen.sync_api import create_app
from story_gen.sync_api.clock import FakeClock
from story_gen.sync_api.json_off_loop import OFF_LOOP_BYTES

from .conftest import Api, fixture_blueprint, push_changes, sync_change


def small_app(backend: str, settings_for: Any, clock: FakeClock) -> TestClient:
    settings = settings_for(backend, max_request_bytes=64 * 1024, max_blueprint_bytes=2048)
    return TestClient(create_app(settings, clock=clock))


def test_oversized_body_with_content_length_is_413(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    with small_app(backend, settings_for, clock) as client:
        headers = Api(client).user()
        response = client.post(
            "/api/v1/stories",
            json={"title": "big", "blueprint": {"premise": "x" * 70_000}},
            headers=headers,
        )
        assert response.status_code == 413
        assert response.json()["code"] == "payload_too_large"


def test_oversized_chunked_body_without_content_length_is_413(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"title": "big", "blueprint": {"premise": "'
        for _ in range(100):
            yield b"x" * 1024
        yield b'"}}'

    with small_app(backend, settings_for, clock) as client:
        headers = Api(client).user()
        response = client.post(
            "/api/v1/stories",
            content=chunks(),
            headers={**headers, "Content-Type": "application/json"},
        )
        assert "content-length" not in {k.lower() for k in response.request.headers}
        assert response.status_code == 413
        assert client.get("/api/v1/stories", headers=headers).json() == []


def test_oversized_blueprint_is_413_on_the_story_api_and_rejected_in_a_push(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    with small_app(backend, settings_for, clock) as client:
        headers = Api(client).user()
        big = {"premise": "y" * 4000}
        response = client.post(
            "/api/v1/stories", json={"title": "big", "blueprint": big}, headers=headers
        )
        assert response.status_code == 413
        assert response.json()["code"] == "blueprint_too_large"
        assert response.json()["diagnostics"][0]["code"] == "blueprint.too_large"
        [result] = push_changes(
            client, headers, sync_change(str(uuid.uuid4()), 0, title="big", blueprint=big)
        )
        assert result["status"] == "rejected"
        assert result["diagnostics"][0]["code"] == "blueprint.too_large"


def test_a_patch_that_grows_a_blueprint_past_the_limit_is_rejected(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    with small_app(backend, settings_for, clock) as client:
        headers = Api(client).user()
        story = client.post(
            "/api/v1/stories",
            json={"title": "small", "blueprint": {"premise": "short"}},
            headers=headers,
        ).json()
        grow = {"ops": [{"op": "set", "path": "premise", "old": "short", "new": "y" * 4000}]}
        [result] = push_changes(client, headers, sync_change(story["story_id"], 1, patch=grow))
        assert result["status"] == "rejected"
        assert result["diagnostics"][0]["code"] == "blueprint.too_large"
        again = client.get(f"/api/v1/stories/{story['story_id']}", headers=headers).json()
        assert again == story


def test_malformed_json_is_422_in_the_error_shape(api: Api) -> None:
    response = api.client.post(
        "/api/v1/stories",
        content=b'{"title": "x", "blueprint": {',
        headers={**api.user(), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "request_invalid"
    assert body["diagnostics"][0]["code"] == "request.json_invalid"


def test_a_body_that_is_not_text_is_a_documented_400_in_the_error_shape(api: Api) -> None:
    response = api.client.post(
        "/api/v1/stories",
        content=b'{"title": "\xff\xfe"}',
        headers={**api.user(), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "bad_request"
    assert "UTF-8" in body["message"]
    documented = api.client.get("/openapi.json").json()["paths"]["/api/v1/stories"]["post"]
    assert "400" in documented["responses"]


def test_auth_bodies_are_limited_to_kilobytes(api: Api) -> None:
    # 20 KB is far under the general limit (8 MiB) and far over any real login.
    padded = {"email": "a@example.org", "password": "x" * 20_000}
    for path in ("/api/v1/auth/login", "/api/v1/auth/register"):
        response = api.client.post(path, json={**padded, "display_name": "A"})
        assert response.status_code == 413
        assert response.json()["code"] == "payload_too_large"
        assert "16384 bytes" in response.json()["message"]
    email = api.register()["email"]
    assert api.login(email)["Authorization"].startswith("Bearer ")


def test_pull_page_ends_at_the_byte_budget_and_the_next_page_continues(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    # Each story's JSON is larger than the budget: every page carries one, none is skipped.
    settings = settings_for(backend, max_response_bytes=1024)
    with TestClient(create_app(settings, clock=clock)) as client:
        api = Api(client)
        headers = api.user()
        ids = [api.create_story(headers, title=f"S{i}")["story_id"] for i in range(3)]
        seen: list[str] = []
        cursor = ""
        for _ in range(5):
            page = client.get(f"/api/v1/sync/pull?limit=50&cursor={cursor}", headers=headers)
            assert page.status_code == 200
            body = page.json()
            assert len(body["changes"]) == 1
            seen += [c["story_id"] for c in body["changes"]]
            cursor = body["cursor"]
            if not body["has_more"]:
                break
        assert seen == ids


def walk_story_pages(client: TestClient, headers: dict[str, str], first: str) -> list[list[str]]:
    pages: list[list[str]] = []
    url: str | None = first
    while url is not None and len(pages) < 10:
        response = client.get(url, headers=headers)
        assert response.status_code == 200
        pages.append([story["story_id"] for story in response.json()])
        cursor = response.headers.get("X-Next-Cursor")
        link = response.headers.get("Link")
        if cursor is None:
            assert link is None
            url = None
        else:
            assert link is not None
            assert link.endswith('>; rel="next"')
            assert cursor in link
            url = link[1 : link.index(">")]
    return pages


def test_story_list_keeps_its_shape_without_paging_and_pages_with_limit(api: Api) -> None:
    # One clock instant for all: the pages' order falls back on the id, and must still agree.
    headers = api.user()
    created = {api.create_story(headers, title=f"S{i}")["story_id"] for i in range(5)}
    whole = api.client.get("/api/v1/stories", headers=headers)
    ids = [story["story_id"] for story in whole.json()]
    assert set(ids) == created
    assert len(ids) == 5
    assert "X-Next-Cursor" not in whole.headers
    assert "Link" not in whole.headers
    pages = walk_story_pages(api.client, headers, "/api/v1/stories?limit=2")
    assert pages == [ids[0:2], ids[2:4], ids[4:5]]


def test_story_list_past_the_byte_budget_says_to_page_and_pages_by_bytes(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    settings = settings_for(backend, max_response_bytes=1024)
    with TestClient(create_app(settings, clock=clock)) as client:
        api = Api(client)
        headers = api.user()
        ids = []
        for i in range(3):
            ids.append(api.create_story(headers, title=f"S{i}")["story_id"])
            clock.advance(1)
        whole = client.get("/api/v1/stories", headers=headers)
        assert whole.status_code == 413
        assert whole.json()["code"] == "response_too_large"
        assert "limit=" in whole.json()["message"]
        pages = walk_story_pages(client, headers, "/api/v1/stories?limit=50")
        assert pages == [[story_id] for story_id in ids]


def test_story_list_with_a_cursor_that_is_not_your_story_is_a_clear_404(api: Api) -> None:
    response = api.client.get(f"/api/v1/stories?cursor={uuid.uuid4()}", headers=api.user())
    assert response.status_code == 404
    assert response.json()["code"] == "cursor_not_found"
    assert "without a cursor" in response.json()["message"]


def test_push_answer_leaves_out_merged_stories_past_the_byte_budget(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    settings = settings_for(backend, max_response_bytes=1024)
    with TestClient(create_app(settings, clock=clock)) as client:
        api = Api(client)
        headers = api.user()
        story_id = api.create_story(headers)["story_id"]
        blueprint = fixture_blueprint()
        [first] = push_changes(client, headers, sync_change(story_id, 1, blueprint=blueprint))
        assert first["status"] == "applied"
        stale = []
        for text in ("B's premise.", "C's premise."):
            edited = fixture_blueprint()
            edited["chapters"][0]["objective"] = text
            stale.append(sync_change(story_id, 1, blueprint=edited))
        kept, omitted = push_changes(client, headers, *stale)
        assert kept["status"] == omitted["status"] == "merged"
        assert kept["story"]["revision"] == 3
        assert omitted["story"] is None
        assert omitted["revision"] == 4
        assert [d["code"] for d in omitted["diagnostics"]] == ["change.story_omitted"]
        pulled = client.get("/api/v1/sync/pull", headers=headers).json()["changes"]
        assert pulled[0]["story"]["revision"] == 4


def stored_state(client: TestClient, headers: dict[str, str]) -> list[Any]:
    stories = client.get("/api/v1/stories?include_deleted=true", headers=headers).json()
    revisions = [
        client.get(f"/api/v1/stories/{s['story_id']}/revisions", headers=headers).json()
        for s in stories
    ]
    return [stories, revisions]


def test_story_quota_refuses_one_more_story_clearly_and_stores_nothing(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    settings = settings_for(backend, max_stories_per_account=2)
    with TestClient(create_app(settings, clock=clock)) as client:
        api = Api(client)
        headers = api.user()
        first = api.create_story(headers)["story_id"]
        api.create_story(headers)
        assert client.delete(f"/api/v1/stories/{first}", headers=headers).status_code == 204
        before = stored_state(client, headers)
        refused = client.post(
            "/api/v1/stories", json={"title": "third", "blueprint": {}}, headers=headers
        )
        assert refused.status_code == 413
        body = refused.json()
        assert body["code"] == "story_quota_exceeded"
        assert "STORY_GEN_MAX_STORIES_PER_ACCOUNT=2" in body["message"]
        new_id = str(uuid.uuid4())
        [result] = push_changes(
            client, headers, sync_change(new_id, 0, title="third", blueprint={})
        )
        assert result["status"] == "rejected"
        assert [d["code"] for d in result["diagnostics"]] == ["story_quota_exceeded"]
        assert stored_state(client, headers) == before
        # Another account is not affected.
        assert api.create_story(api.user())["revision"] == 1


def test_storage_quota_refuses_a_write_past_it_and_a_retry_lands_once_raised(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    settings = settings_for(backend, max_account_bytes=6000)
    with TestClient(create_app(settings, clock=clock)) as client:
        api = Api(client)
        headers = api.user()
        story_id = api.create_story(headers, blueprint={"premise": "small"})["story_id"]
        before = stored_state(client, headers)
        # Incompressible: the quota counts bytes as stored, compressed (ADR 0081).
        big = {"premise": base64.b64encode(random.Random(13).randbytes(9000)).decode()}
        refused = client.put(
            f"/api/v1/stories/{story_id}", json={"title": "big", "blueprint": big}, headers=headers
        )
        assert refused.status_code == 413
        assert refused.json()["code"] == "storage_quota_exceeded"
        assert "STORY_GEN_MAX_ACCOUNT_BYTES=6000" in refused.json()["message"]
        change = sync_change(story_id, 1, blueprint=big)
        [result] = push_changes(client, headers, change)
        assert result["status"] == "rejected"
        assert [d["code"] for d in result["diagnostics"]] == ["storage_quota_exceeded"]
        assert stored_state(client, headers) == before
    raised = settings_for(backend, max_account_bytes=1_000_000)
    with TestClient(create_app(raised, clock=clock)) as client:
        [again] = push_changes(client, headers, change)
        assert again["status"] == "applied"
        assert again["revision"] == 2


@pytest.mark.parametrize("route", ["push", "create"])
def test_a_large_push_or_story_body_is_parsed_off_the_event_loop(
    api: Api, monkeypatch: pytest.MonkeyPatch, route: str
) -> None:
    # Spy on json.loads: a call made on the event loop's thread has a running loop.
    parsed_on_loop: list[bool] = []
    loads = json.loads

    def spy(data: Any, *args: Any, **kwargs: Any) -> Any:
        if len(data) > OFF_LOOP_BYTES:
            try:
                asyncio.get_running_loop()
                parsed_on_loop.append(True)
            except RuntimeError:
                parsed_on_loop.append(False)
        return loads(data, *args, **kwargs)

    headers = api.user()
    story_id = str(uuid.uuid4())
    big = fixture_blueprint()
    big["premise"] = "p" * (OFF_LOOP_BYTES + 1000)
    monkeypatch.setattr(json, "loads", spy)
    if route == "push":
        change = sync_change(story_id, 0, title="big", blueprint=big)
        [result] = push_changes(api.client, headers, change)
        assert result["status"] == "applied"
    else:
        created = api.client.post(
            "/api/v1/stories", json={"title": "big", "blueprint": big}, headers=headers
        )
        assert created.status_code == 201
    monkeypatch.undo()
    # The body, and any stored document read back in the route's worker thread.
    assert parsed_on_loop
    assert True not in parsed_on_loop
    broken = api.client.post(
        "/api/v1/sync/push",
        content=b'{"changes": [' + b" " * (OFF_LOOP_BYTES + 10),
        headers={**headers, "Content-Type": "application/json"},
    )
    assert broken.status_code == 422
