"""Sync protocol v1: pull since a cursor, push with idempotency, CAS and merge, limits."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from .conftest import Api, fixture_blueprint, push_changes, sync_change


def change(
    story_id: str, base: int, blueprint: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    return sync_change(
        story_id,
        base,
        blueprint=blueprint if blueprint is not None else fixture_blueprint(),
        **extra,
    )


def push(api: Api, headers: dict[str, str], *changes: dict[str, Any]) -> list[dict[str, Any]]:
    return push_changes(api.client, headers, *changes)


def test_push_creates_then_pull_returns_it(api: Api) -> None:
    headers = api.user()
    story_id = str(uuid.uuid4())
    [result] = push(api, headers, change(story_id, 0, title="Offline tale"))
    assert result["status"] == "applied"
    assert result["revision"] == 1
    page = api.client.get("/api/v1/sync/pull", headers=headers).json()
    assert [c["story_id"] for c in page["changes"]] == [story_id]
    assert page["changes"][0]["story"]["title"] == "Offline tale"
    assert page["has_more"] is False
    again = api.client.get(f"/api/v1/sync/pull?cursor={page['cursor']}", headers=headers).json()
    assert again["changes"] == []
    assert again["cursor"] == page["cursor"]


def test_pull_pages_and_includes_deletions(api: Api) -> None:
    headers = api.user()
    ids = [api.create_story(headers, title=f"S{i}")["story_id"] for i in range(5)]
    first = api.client.get("/api/v1/sync/pull?limit=2", headers=headers).json()
    assert first["has_more"] is True
    assert len(first["changes"]) == 2
    seen = [c["story_id"] for c in first["changes"]]
    cursor = first["cursor"]
    while True:
        page = api.client.get(f"/api/v1/sync/pull?limit=2&cursor={cursor}", headers=headers).json()
        seen += [c["story_id"] for c in page["changes"]]
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    assert seen == ids
    assert api.client.delete(f"/api/v1/stories/{ids[1]}", headers=headers).status_code == 204
    after = api.client.get(f"/api/v1/sync/pull?cursor={cursor}", headers=headers).json()
    assert after["changes"] == [{"story_id": ids[1], "revision": 1, "deleted": True, "story": None}]


def test_bad_cursor_is_a_clear_422(api: Api) -> None:
    response = api.client.get("/api/v1/sync/pull?cursor=banana", headers=api.user())
    assert response.status_code == 422
    assert response.json()["code"] == "cursor_invalid"


def test_replayed_change_id_returns_the_original_result(api: Api) -> None:
    headers = api.user()
    story = api.create_story(headers)
    edited = fixture_blueprint()
    edited["premise"] = "Edited once."
    c = change(story["story_id"], 1, edited)
    [first] = push(api, headers, c)
    for _ in range(3):
        [again] = push(api, headers, c)
        assert again == first
    revisions = api.client.get(f"/api/v1/stories/{story['story_id']}/revisions", headers=headers)
    assert [r["revision"] for r in revisions.json()] == [2, 1]


def test_stale_base_is_merged_never_overwritten(api: Api) -> None:
    headers = api.user()
    story = api.create_story(headers)
    sid = story["story_id"]
    a = fixture_blueprint()
    a["premise"] = "Device A's premise."
    b = fixture_blueprint()
    b["chapters"][0]["objective"] = "Device B's objective."
    [ra] = push(api, headers, change(sid, 1, a))
    [rb] = push(api, headers, change(sid, 1, b))
    assert ra["status"] == "applied"
    assert rb["status"] == "merged"
    assert rb["revision"] == 3
    head = api.client.get(f"/api/v1/stories/{sid}?view=full", headers=headers).json()
    stored = (
        [head["blueprint"]]
        + [c["theirs"] for c in head["conflicts"]]
        + [c["ours"] for c in head["conflicts"]]
    )
    text = repr(stored)
    assert "Device A's premise." in text
    assert "Device B's objective." in text
    assert rb["story"]["revision"] == 3


def test_one_bad_change_does_not_block_the_batch(api: Api) -> None:
    headers = api.user()
    good_id, bad_id = str(uuid.uuid4()), str(uuid.uuid4())
    results = push(
        api,
        headers,
        change(bad_id, 0, {"themes": [{"key": "!!"}]}, title="Bad"),
        change(good_id, 0, title="Good"),
        change(str(uuid.uuid4()), 7, title="Claims a base the server never had"),
    )
    assert [r["status"] for r in results] == ["rejected", "applied", "rejected"]
    assert any(d["severity"] == "error" for d in results[0]["diagnostics"])
    assert results[2]["diagnostics"][0]["code"] == "story_not_found"
    listed = api.client.get("/api/v1/stories", headers=headers).json()
    assert [s["story_id"] for s in listed] == [good_id]
    events = api.client.app.state.services  # type: ignore[attr-defined]
    from story_gen.sync_api.crud.anomalies import list_anomalies

    with events.db.session() as session:
        assert len(list_anomalies(session=session, kind="push_rejected")) == 2


def test_delete_and_undelete_by_push(api: Api) -> None:
    headers = api.user()
    story = api.create_story(headers)
    sid = story["story_id"]
    [deleted] = push(
        api,
        headers,
        {"change_id": str(uuid.uuid4()), "story_id": sid, "base_revision": 1, "op": "delete"},
    )
    assert deleted["deleted"] is True
    assert api.client.get(f"/api/v1/stories/{sid}?view=full", headers=headers).status_code == 404
    [back] = push(
        api,
        headers,
        {"change_id": str(uuid.uuid4()), "story_id": sid, "base_revision": 1, "op": "undelete"},
    )
    assert back["deleted"] is False
    assert api.client.get(f"/api/v1/stories/{sid}?view=full", headers=headers).status_code == 200


def test_an_edit_brings_a_deleted_story_back(api: Api) -> None:
    headers = api.user()
    sid = api.create_story(headers)["story_id"]
    api.client.delete(f"/api/v1/stories/{sid}", headers=headers)
    edited = fixture_blueprint()
    edited["premise"] = "Edited offline before the delete arrived."
    [result] = push(api, headers, change(sid, 1, edited))
    assert result["status"] == "applied"
    head = api.client.get(f"/api/v1/stories/{sid}?view=full", headers=headers).json()
    assert head["blueprint"]["premise"] == edited["premise"]


def test_batch_size_limit_is_413(api: Api) -> None:
    headers = api.user()
    limit = api.client.app.state.services.settings.max_push_changes  # type: ignore[attr-defined]
    changes = [change(str(uuid.uuid4()), 0, {}, title="x") for _ in range(limit + 1)]
    response = api.client.post("/api/v1/sync/push", json={"changes": changes}, headers=headers)
    assert response.status_code == 413
    assert response.json()["code"] == "batch_too_large"
    assert api.client.get("/api/v1/stories", headers=headers).json() == []


def test_unsupported_protocol_version_is_422(api: Api) -> None:
    response = api.client.post(
        "/api/v1/sync/push",
        json={"protocol": 2, "changes": [change(str(uuid.uuid4()), 0, title="x")]},
        headers=api.user(),
    )
    assert response.status_code == 422
    assert response.json()["diagnostics"][0]["path"] == "protocol"


@pytest.mark.parametrize("fresh", [True, False], ids=["on_the_head", "on_an_old_revision"])
def test_a_patch_that_would_break_the_story_is_rejected_and_the_batch_goes_on(
    api: Api, fresh: bool
) -> None:
    headers = api.user()
    story = api.create_story(headers, title="Alice")
    sid = story["story_id"]
    base = 1
    if not fresh:
        edited = fixture_blueprint()
        edited["premise"] = "Moved on."
        push(api, headers, change(sid, 1, edited))
    too_long = {"ops": [{"op": "set", "path": "title", "old": "Alice", "new": "x" * 301}]}
    nameless = {"ops": [{"op": "set", "path": "title", "old": "Alice", "new": "   "}]}
    results = push(
        api,
        headers,
        {"change_id": str(uuid.uuid4()), "story_id": sid, "base_revision": base, "patch": too_long},
        {"change_id": str(uuid.uuid4()), "story_id": sid, "base_revision": base, "patch": nameless},
        change(str(uuid.uuid4()), 0, title="Still lands"),
    )
    assert [r["status"] for r in results] == ["rejected", "rejected", "applied"]
    for result in results[:2]:
        [diagnostic] = result["diagnostics"]
        assert diagnostic["code"] == "change.patch_invalid"
        assert diagnostic["path"] == "patch"
        assert "title" in diagnostic["message"]
    head = api.client.get(f"/api/v1/stories/{sid}?view=full", headers=headers).json()
    assert head["title"] == "Alice"
    assert head["revision"] == (1 if fresh else 2)


def test_a_retitle_in_a_patch_push_is_normalised_like_every_title(api: Api) -> None:
    headers = api.user()
    sid = api.create_story(headers, title="Alice")["story_id"]
    [result] = push(
        api,
        headers,
        {
            "change_id": str(uuid.uuid4()),
            "story_id": sid,
            "base_revision": 1,
            "title": "  Alice, revised \u3000",
            "patch": {"ops": []},
        },
    )
    assert result["status"] == "applied"
    assert api.client.get(f"/api/v1/stories/{sid}?view=full", headers=headers).json()["title"] == (
        "Alice, revised"
    )


def pull_holding(api: Api, headers: dict[str, str], **body: Any) -> Any:
    response = api.client.post("/api/v1/sync/pull", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_pull_naming_the_held_revision_answers_patches_to_the_head(api: Api) -> None:
    headers = api.user()
    story = api.create_story(headers)
    sid = story["story_id"]
    edited = fixture_blueprint()
    edited["premise"] = "Moved on."
    [moved] = push(api, headers, change(sid, 1, blueprint=edited))
    assert moved["revision"] == 2
    [pulled] = pull_holding(api, headers, have={sid: 1})["changes"]
    assert pulled["story"] is None
    assert pulled["patch_from"] == 1
    assert pulled["revision"] == 2
    [patch] = pulled["patches"]
    assert patch["format"] == "story_gen.patch/1"
    [revision] = [
        r
        for r in api.client.get(f"/api/v1/stories/{sid}/revisions", headers=headers).json()
        if r["revision"] == 2
    ]
    assert pulled["sha256"] == revision["sha256"]
    # Holding the head: nothing to apply; an unknown or newer revision: the story whole.
    [same] = pull_holding(api, headers, have={sid: 2})["changes"]
    assert same["patches"] == []
    assert same["story"] is None
    [ahead] = pull_holding(api, headers, have={sid: 9})["changes"]
    assert ahead["patches"] is None
    assert ahead["story"]["blueprint"]["premise"] == "Moved on."
    [plain] = pull_holding(api, headers)["changes"]
    assert plain["story"] is not None
    assert plain["patches"] is None


def test_a_held_story_deleted_since_is_a_deletion_not_patches(api: Api) -> None:
    headers = api.user()
    sid = api.create_story(headers)["story_id"]
    assert api.client.delete(f"/api/v1/stories/{sid}", headers=headers).status_code == 204
    [pulled] = pull_holding(api, headers, have={sid: 1})["changes"]
    assert pulled["deleted"] is True
    assert pulled["story"] is None
    assert pulled["patches"] is None


def test_the_get_pull_answers_exactly_the_v1_shape(api: Api) -> None:
    headers = api.user()
    story = api.create_story(headers)
    [pulled] = api.client.get("/api/v1/sync/pull", headers=headers).json()["changes"]
    assert set(pulled) == {"story_id", "revision", "deleted", "story"}
    assert pulled["story"]["story_id"] == story["story_id"]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"have": {"not-a-uuid": 1}}, "have"),
        ({"have": {str(uuid.uuid4()): 0}}, "have"),
        ({"limit": 0}, "limit"),
        ({"protocol": 2}, "protocol"),
        ({"cursor": "v1.1", "extra": True}, "extra"),
    ],
)
def test_a_malformed_pull_body_is_a_clear_422(api: Api, body: dict[str, Any], where: str) -> None:
    response = api.client.post("/api/v1/sync/pull", json=body, headers=api.user())
    assert response.status_code == 422
    assert where in response.text


def test_a_post_pull_with_a_bad_cursor_is_the_same_422(api: Api) -> None:
    response = api.client.post("/api/v1/sync/pull", json={"cursor": "banana"}, headers=api.user())
    assert response.status_code == 422
    assert response.json()["code"] == "cursor_invalid"
