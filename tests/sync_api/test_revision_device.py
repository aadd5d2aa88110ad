"""A push may name its device (ADR 0109): each revision it makes keeps the name, the revision
list shows it; a push that does not say (an old client) makes revisions with none."""

from __future__ import annotations

import uuid

from .conftest import Api, fixture_blueprint, sync_change


def test_a_push_names_its_device_and_the_history_shows_it(api: Api) -> None:
    headers = api.user()
    story_id = str(uuid.uuid4())
    first = sync_change(story_id, 0, blueprint=fixture_blueprint(), title="Named")
    pushed = api.client.post(
        "/api/v1/sync/push",
        json={"changes": [first], "device": "Firefox on Linux"},
        headers=headers,
    )
    assert pushed.status_code == 200, pushed.text
    assert pushed.json()["results"][0]["revision"] == 1
    edited = fixture_blueprint()
    edited["premise"] = "Pushed by a client that does not say which device it is."
    old_client = api.client.post(
        "/api/v1/sync/push",
        json={"changes": [sync_change(story_id, 1, blueprint=edited)]},
        headers=headers,
    )
    assert old_client.status_code == 200, old_client.text
    listed = api.client.get(f"/api/v1/stories/{story_id}/revisions", headers=headers).json()
    assert [(r["revision"], r["device"]) for r in listed] == [(2, None), (1, "Firefox on Linux")]


def test_a_bad_device_name_is_a_clear_422(api: Api) -> None:
    headers = api.user()
    change = sync_change(str(uuid.uuid4()), 0, blueprint=fixture_blueprint(), title="T")
    for device in ("", "x" * 81, "line\nbreak"):
        answer = api.client.post(
            "/api/v1/sync/push", json={"changes": [change], "device": device}, headers=headers
        )
        assert answer.status_code == 422, (device, answer.text)
        assert "device" in answer.text


def test_story_api_writes_name_their_device_too(api: Api) -> None:
    headers = api.user()
    created = api.client.post(
        "/api/v1/stories",
        params={"device": "laptop-jo"},
        json={"title": "Named", "blueprint": fixture_blueprint()},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    story_id = created.json()["story_id"]
    edited = fixture_blueprint()
    edited["premise"] = "Written through the story API from another machine."
    updated = api.client.put(
        f"/api/v1/stories/{story_id}",
        params={"device": "Kāra's desktop"},
        json={"title": "Named", "blueprint": edited},
        headers=headers,
    )
    assert updated.status_code == 200, updated.text
    # A v1 client says nothing: its revision names no device.
    unnamed = api.client.put(
        f"/api/v1/stories/{story_id}",
        json={"title": "Named", "blueprint": fixture_blueprint()},
        headers=headers,
    )
    assert unnamed.status_code == 200, unnamed.text
    restored = api.client.post(
        f"/api/v1/stories/{story_id}/revisions/2/restore",
        params={"device": "laptop-jo"},
        headers=headers,
    )
    assert restored.status_code == 200, restored.text
    listed = api.client.get(f"/api/v1/stories/{story_id}/revisions", headers=headers).json()
    assert [(r["revision"], r["device"]) for r in listed] == [
        (4, "laptop-jo"),
        (3, None),
        (2, "Kāra's desktop"),
        (1, "laptop-jo"),
    ]


def test_a_bad_device_name_on_a_story_write_is_a_clear_422_and_stores_nothing(api: Api) -> None:
    headers = api.user()
    created = api.client.post(
        "/api/v1/stories", json={"title": "Kept", "blueprint": fixture_blueprint()}, headers=headers
    )
    story_id = created.json()["story_id"]
    edited = fixture_blueprint()
    edited["premise"] = "Never stored."
    for device in ("", "x" * 81, "line\nbreak"):
        refused = api.client.put(
            f"/api/v1/stories/{story_id}",
            params={"device": device},
            json={"title": "Kept", "blueprint": edited},
            headers=headers,
        )
        assert refused.status_code == 422, (device, refused.text)
        assert "device" in refused.text
        made = api.client.post(
            "/api/v1/stories",
            params={"device": device},
            json={"title": "Not made", "blueprint": fixture_blueprint()},
            headers=headers,
        )
        assert made.status_code == 422, (device, made.text)
    listed = api.client.get(f"/api/v1/stories/{story_id}/revisions", headers=headers).json()
    assert [r["revision"] for r in listed] == [1]
    titles = [s["title"] for s in api.client.get("/api/v1/stories", headers=headers).json()]
    assert titles == ["Kept"]
