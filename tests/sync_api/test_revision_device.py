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
