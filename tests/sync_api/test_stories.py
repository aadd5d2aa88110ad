"""The story API: payloads existing story_gen clients use, history, the bin, owner scoping."""

from __future__ import annotations

import copy
import uuid
from datetime import datetime
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict

from .conftest import Api, fixture_blueprint, push_changes, sync_change

STORY_FIELDS = {"story_id", "owner_id", "title", "blueprint", "created_at_utc", "updated_at_utc"}


def test_create_get_list_put_with_the_existing_payloads(api: Api) -> None:
    headers = api.user()
    owner = api.client.get("/api/v1/me", headers=headers).json()["user_id"]
    created = api.create_story(headers, title="Alice")
    assert set(created) >= STORY_FIELDS
    assert created["owner_id"] == owner
    assert created["title"] == "Alice"
    assert created["blueprint"] == fixture_blueprint()
    assert created["revision"] == 1
    story_id = created["story_id"]

    fetched = api.client.get(f"/api/v1/stories/{story_id}", headers=headers)
    assert fetched.status_code == 200
    assert fetched.json() == {field: created[field] for field in STORY_FIELDS}
    assert fetched.headers["X-Story-Revision"] == "1"
    assert fetched.headers["ETag"] == '"r1"'

    listed = api.client.get("/api/v1/stories", headers=headers).json()
    assert [s["story_id"] for s in listed] == [story_id]

    blueprint = fixture_blueprint()
    blueprint["premise"] = "A different premise."
    updated = api.client.put(
        f"/api/v1/stories/{story_id}",
        json={"title": "Alice, revised", "blueprint": blueprint},
        headers=headers,
    )
    assert updated.status_code == 200
    body = updated.json()
    assert set(body) == STORY_FIELDS
    assert body["title"] == "Alice, revised"
    assert body["blueprint"]["premise"] == "A different premise."
    assert updated.headers["X-Story-Revision"] == "2"
    assert body["created_at_utc"] == created["created_at_utc"]


def test_invalid_blueprint_is_422_with_core_diagnostics_and_stores_nothing(api: Api) -> None:
    headers = api.user()
    bad = fixture_blueprint()
    bad["chapters"].append(copy.deepcopy(bad["chapters"][0]))  # duplicate chapter key
    response = api.client.post(
        "/api/v1/stories", json={"title": "Bad", "blueprint": bad}, headers=headers
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "blueprint_invalid"
    assert body["diagnostics"], body
    assert {"severity", "code", "path", "message", "hint"} <= set(body["diagnostics"][0])
    assert api.client.get("/api/v1/stories", headers=headers).json() == []


def test_a_bad_put_changes_nothing(api: Api) -> None:
    headers = api.user()
    story = api.create_story(headers)
    response = api.client.put(
        f"/api/v1/stories/{story['story_id']}",
        json={"title": "x", "blueprint": {"themes": [{"key": "9bad"}]}},
        headers=headers,
    )
    assert response.status_code == 422
    again = api.client.get(f"/api/v1/stories/{story['story_id']}?view=full", headers=headers).json()
    assert again == story


def test_unknown_fields_are_refused_not_dropped(api: Api) -> None:
    headers = api.user()
    response = api.client.post(
        "/api/v1/stories",
        json={"title": "T", "blueprint": {}, "colour": "red"},
        headers=headers,
    )
    assert response.status_code == 422
    assert response.json()["diagnostics"][0]["code"] == "request.extra_forbidden"


def test_soft_delete_and_restore(api: Api) -> None:
    headers = api.user()
    story = api.create_story(headers)
    url = f"/api/v1/stories/{story['story_id']}"
    assert api.client.delete(url, headers=headers).status_code == 204
    gone = api.client.get(url, headers=headers)
    assert gone.status_code == 404
    assert gone.json()["code"] == "story_deleted"
    assert api.client.get("/api/v1/stories", headers=headers).json() == []
    binned = api.client.get(
        "/api/v1/stories?include_deleted=true&view=full", headers=headers
    ).json()
    assert binned[0]["deleted_at_utc"] is not None
    restored = api.client.post(f"{url}/restore?view=full", headers=headers)
    assert restored.status_code == 200
    assert restored.json()["blueprint"] == story["blueprint"]
    assert restored.json()["deleted_at_utc"] is None
    assert api.client.get(url, headers=headers).status_code == 200


def test_revision_history_and_restore(api: Api) -> None:
    headers = api.user()
    story = api.create_story(headers)
    url = f"/api/v1/stories/{story['story_id']}"
    for premise in ("second", "third"):
        blueprint = fixture_blueprint()
        blueprint["premise"] = premise
        response = api.client.put(url, json={"title": "T", "blueprint": blueprint}, headers=headers)
        assert response.status_code == 200
    revisions = api.client.get(f"{url}/revisions", headers=headers).json()
    assert [r["revision"] for r in revisions] == [3, 2, 1]
    assert [r["origin"] for r in revisions] == ["update", "update", "create"]
    assert all(len(r["sha256"]) == 64 for r in revisions)
    first = api.client.get(f"{url}/revisions/1", headers=headers)
    assert first.json()["blueprint"] == story["blueprint"]
    assert first.headers["X-Story-Revision"] == "1"
    assert api.client.get(f"{url}/revisions/1?view=full", headers=headers).json()["revision"] == 1
    assert api.client.get(f"{url}/revisions/9", headers=headers).status_code == 404
    restored = api.client.post(f"{url}/revisions/1/restore?view=full", headers=headers).json()
    assert restored["revision"] == 4
    assert restored["blueprint"] == story["blueprint"]
    assert len(api.client.get(f"{url}/revisions", headers=headers).json()) == 4


def _route_calls(
    story_id: str, body: dict[str, Any]
) -> list[tuple[str, str, dict[str, Any] | None]]:
    return [
        ("GET", f"/api/v1/stories/{story_id}", None),
        ("PUT", f"/api/v1/stories/{story_id}", body),
        ("DELETE", f"/api/v1/stories/{story_id}", None),
        ("POST", f"/api/v1/stories/{story_id}/restore", None),
        ("GET", f"/api/v1/stories/{story_id}/revisions", None),
        ("GET", f"/api/v1/stories/{story_id}/revisions/1", None),
        ("POST", f"/api/v1/stories/{story_id}/revisions/1/restore", None),
    ]


def test_every_story_route_is_404_for_another_user(api: Api) -> None:
    alice, bob = api.user(), api.user()
    story = api.create_story(alice)
    story_id = story["story_id"]
    calls = _route_calls(story_id, {"title": "mine now", "blueprint": {}})
    paths = api.client.app.openapi()["paths"]  # type: ignore[attr-defined]
    routes = {
        (method.upper(), path)
        for path, operations in paths.items()
        if "{story_id}" in path
        for method in operations
    }
    covered = {
        (m, p.replace(story_id, "{story_id}").replace("/1", "/{revision}")) for m, p, _ in calls
    }
    assert routes == covered, "a story route is missing from the isolation test"
    for method, path, body in calls:
        response = api.client.request(method, path, json=body, headers=bob)
        assert response.status_code == 404, (method, path, response.text)
    # Bob's sync sees nothing, and a push aimed at Alice's story is rejected, not applied.
    assert api.client.get("/api/v1/sync/pull", headers=bob).json()["changes"] == []
    [pushed] = push_changes(api.client, bob, sync_change(story_id, 1, blueprint={}))
    assert pushed["status"] == "rejected"
    assert api.client.get(f"/api/v1/stories/{story_id}?view=full", headers=alice).json() == story


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "1"])
def test_malformed_ids_are_422(api: Api, bad_id: str) -> None:
    response = api.client.get(f"/api/v1/stories/{bad_id}", headers=api.user())
    assert response.status_code == 422
    assert response.json()["diagnostics"][0]["path"] == "path.story_id"


def test_unauthenticated_story_calls_are_401(api: Api) -> None:
    assert api.client.get("/api/v1/stories").status_code == 401
    assert (
        api.client.post("/api/v1/stories", json={"title": "x", "blueprint": {}}).status_code == 401
    )


class _Strict(BaseModel):
    """Like the original story_gen client's response models: an unknown field is an error."""

    model_config = ConfigDict(extra="forbid")


class V1User(_Strict):
    user_id: uuid.UUID
    email: str
    display_name: str
    created_at_utc: datetime


class V1Token(_Strict):
    access_token: str
    token_type: str
    expires_at_utc: datetime


class V1Story(_Strict):
    story_id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    blueprint: dict[str, Any]
    created_at_utc: datetime
    updated_at_utc: datetime


def test_a_v1_client_with_strict_models_reads_every_story_answer(api: Api) -> None:
    account = {"email": f"v1{uuid.uuid4().hex[:8]}@example.org", "password": "x" * 12}
    registered = api.client.post("/api/v1/auth/register", json={**account, "display_name": "V1"})
    user = V1User.model_validate_json(registered.content)
    token = V1Token.model_validate_json(api.client.post("/api/v1/auth/login", json=account).content)
    headers = {"Authorization": f"Bearer {token.access_token}"}
    assert V1User.model_validate_json(api.client.get("/api/v1/me", headers=headers).content) == user

    blueprint = fixture_blueprint()
    created = api.client.post(
        "/api/v1/stories", json={"title": "Alice", "blueprint": blueprint}, headers=headers
    )
    assert created.status_code == 201
    story = V1Story.model_validate_json(created.content)
    assert story.owner_id == user.user_id
    assert created.headers["X-Story-Revision"] == "1"
    url = f"/api/v1/stories/{story.story_id}"
    assert V1Story.model_validate_json(api.client.get(url, headers=headers).content) == story
    listed = api.client.get("/api/v1/stories", headers=headers)
    assert [V1Story.model_validate(s) for s in listed.json()] == [story]

    blueprint["premise"] = "Changed by a v1 script."
    updated = api.client.put(url, json={"title": "Alice", "blueprint": blueprint}, headers=headers)
    assert V1Story.model_validate_json(updated.content).blueprint["premise"] == blueprint["premise"]
    assert updated.headers["X-Story-Revision"] == "2"
    assert updated.headers["ETag"] == '"r2"'
    for path in (f"{url}/revisions/1", f"{url}/restore"):
        answer = api.client.request("GET" if "revisions" in path else "POST", path, headers=headers)
        V1Story.model_validate_json(answer.content)


class V1Theme(_Strict):
    key: str
    statement: str
    priority: int


class V1Character(_Strict):
    key: str
    role: str
    motivation: str
    voice_markers: list[str]
    relationships: dict[str, str]


class V1Chapter(_Strict):
    key: str
    title: str
    objective: str
    required_themes: list[str]
    participating_characters: list[str]
    prerequisites: list[str]
    draft_text: str | None


class V1Blueprint(_Strict):
    """Revision 1 of the blueprint contract, as a v1 script models it."""

    premise: str
    canon_rules: list[str]
    themes: list[V1Theme]
    characters: list[V1Character]
    chapters: list[V1Chapter]


def test_a_v1_script_never_sees_nor_erases_fields_a_later_contract_added(api: Api) -> None:
    headers = api.user()
    story = api.create_story(headers)
    url = f"/api/v1/stories/{story['story_id']}"
    named = api.client.get(f"{url}?view=full", headers=headers).json()["blueprint"]
    named["word_target"] = 60_000
    named["themes"][0]["name"] = "Growing up"
    named["characters"][0]["name"] = "Alice Liddell"
    named["chapters"][0].update(status="drafted", word_target=2_500)
    full = api.client.put(
        f"{url}?view=full", json={"title": "Alice", "blueprint": named}, headers=headers
    )
    assert full.status_code == 200
    assert full.json()["blueprint"]["characters"][0]["name"] == "Alice Liddell"

    # Read by a v1 script: only the fields it knows, in every answer.
    read = api.client.get(url, headers=headers)
    blueprint = V1Blueprint.model_validate(read.json()["blueprint"])
    for answer in (api.client.get("/api/v1/stories", headers=headers).json()[0], read.json()):
        V1Blueprint.model_validate(answer["blueprint"])

    # Written back by it, with an edit of its own: the fields it could not see are kept.
    changed = blueprint.model_dump()
    changed["premise"] = "Edited by a v1 script."
    written = api.client.put(url, json={"title": "Alice", "blueprint": changed}, headers=headers)
    assert written.status_code == 200
    V1Blueprint.model_validate(written.json()["blueprint"])
    after = api.client.get(f"{url}?view=full", headers=headers).json()["blueprint"]
    assert after["premise"] == "Edited by a v1 script."
    assert after["word_target"] == 60_000
    assert after["themes"][0]["name"] == "Growing up"
    assert after["characters"][0]["name"] == "Alice Liddell"
    assert (after["chapters"][0]["status"], after["chapters"][0]["word_target"]) == (
        "drafted",
        2_500,
    )


def test_the_full_view_carries_revision_conflicts_and_the_bin(api: Api) -> None:
    headers = api.user()
    story = api.create_story(headers)
    url = f"/api/v1/stories/{story['story_id']}?view=full"
    full = api.client.get(url, headers=headers).json()
    assert set(full) == STORY_FIELDS | {"revision", "conflicts", "deleted_at_utc"}
    assert full["revision"] == 1
    bad = api.client.get(f"/api/v1/stories/{story['story_id']}?view=everything", headers=headers)
    assert bad.status_code == 422
    assert bad.json()["diagnostics"][0]["path"] == "query.view"
