"""Concurrent pushes to one story from several clients, over real HTTP: no edit is lost."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from .conftest import fixture_blueprint

CLIENTS = 8


def _login(base: str) -> dict[str, str]:
    email = f"c{uuid.uuid4().hex[:10]}@example.org"
    with httpx.Client(base_url=base, timeout=60) as http:
        http.post(
            "/api/v1/auth/register",
            json={"email": email, "password": "correct horse battery", "display_name": "C"},
        ).raise_for_status()
        token = http.post(
            "/api/v1/auth/login", json={"email": email, "password": "correct horse battery"}
        ).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_concurrent_pushes_lose_no_edit(live_url: str) -> None:
    headers = _login(live_url)
    with httpx.Client(base_url=live_url, timeout=60, headers=headers) as http:
        created = http.post(
            "/api/v1/stories", json={"title": "Shared", "blueprint": fixture_blueprint()}
        )
        story_id = created.json()["story_id"]

    def edit(i: int) -> dict[str, Any]:
        blueprint = fixture_blueprint()
        blueprint["chapters"][i % len(blueprint["chapters"])]["objective"] = f"edit-{i}-objective"
        body = {
            "changes": [
                {
                    "change_id": str(uuid.uuid4()),
                    "story_id": story_id,
                    "base_revision": 1,
                    "blueprint": blueprint,
                }
            ]
        }
        # A separate HTTP client (connection) per device.
        with httpx.Client(base_url=live_url, timeout=120, headers=headers) as device:
            response = device.post("/api/v1/sync/push", json=body)
            assert response.status_code == 200, response.text
            result: dict[str, Any] = response.json()["results"][0]
            return result

    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(edit, range(CLIENTS)))

    assert sorted(r["revision"] for r in results) == list(range(2, CLIENTS + 2))
    assert sum(r["status"] == "applied" for r in results) >= 1
    assert all(r["status"] in {"applied", "merged"} for r in results)
    with httpx.Client(base_url=live_url, timeout=60, headers=headers) as http:
        head = http.get(f"/api/v1/stories/{story_id}?view=full").json()
        revisions = http.get(f"/api/v1/stories/{story_id}/revisions").json()
    assert head["revision"] == CLIENTS + 1
    assert [r["revision"] for r in revisions] == list(range(CLIENTS + 1, 0, -1))
    everything = json.dumps([head["blueprint"], head["conflicts"]])
    for i in range(CLIENTS):
        assert f"edit-{i}-objective" in everything, f"client {i}'s edit was lost"


def test_the_same_change_pushed_concurrently_lands_once(live_url: str) -> None:
    headers = _login(live_url)
    story_id = str(uuid.uuid4())
    body = {
        "changes": [
            {
                "change_id": str(uuid.uuid4()),
                "story_id": story_id,
                "base_revision": 0,
                "title": "Once",
                "blueprint": fixture_blueprint(),
            }
        ]
    }

    def send(_: int) -> dict[str, Any]:
        with httpx.Client(base_url=live_url, timeout=120, headers=headers) as device:
            result: dict[str, Any] = device.post("/api/v1/sync/push", json=body).json()
            return result

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(send, range(6)))
    assert all(answer == answers[0] for answer in answers)
    with httpx.Client(base_url=live_url, timeout=60, headers=headers) as http:
        revisions = http.get(f"/api/v1/stories/{story_id}/revisions").json()
    assert len(revisions) == 1
