"""Object store outage during a push: 503 + Retry-After, nothing half-written, retry lands.

The object store is a private moto S3 server (real HTTP) that the test stops mid-way and
starts again on the same port; moto keeps its buckets in process memory across the restart.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient
from moto.server import ThreadedMotoServer
from sqlalchemy import func, select

from story_gen.sync_api import create_app
from story_gen.sync_api.clock import FakeClock
from story_gen.sync_api.models import PushResult, Revision, StoryHead

from .conftest import Api, fixture_blueprint


class Switchable:
    def __init__(self) -> None:
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.server.start()
        self.host, self.port = self.server.get_host_and_port()
        self.url = f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        self.server.stop()

    def start(self) -> None:
        self.server = ThreadedMotoServer(ip_address=self.host, port=self.port, verbose=False)
        self.server.start()


@pytest.fixture
def switchable_s3() -> Iterator[Switchable]:
    s3 = Switchable()
    yield s3
    s3.stop()


def counts(app: Any) -> tuple[int, int, int]:
    with app.state.services.db.session() as session:
        return (
            session.scalar(select(func.count()).select_from(Revision)) or 0,
            session.scalar(select(func.count()).select_from(PushResult)) or 0,
            session.scalar(select(func.max(StoryHead.revision))) or 0,
        )


def test_push_during_s3_outage_is_503_and_writes_nothing(
    backend: str, settings_for: Any, switchable_s3: Switchable, clock: FakeClock
) -> None:
    bucket = f"outage-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=switchable_s3.url, region_name="us-east-1").create_bucket(
        Bucket=bucket
    )
    # Every revision stored whole, so the push needs the object store (a delta, kept in its
    # row, would land during the outage: see the next test).
    settings = settings_for(
        backend,
        blob_store="s3",
        s3_endpoint_url=switchable_s3.url,
        s3_bucket=bucket,
        revision_snapshot_every=1,
    )
    app = create_app(settings, clock=clock)
    with TestClient(app) as client:
        api = Api(client)
        headers = api.user()
        story = api.create_story(headers)
        before = counts(app)
        edited = fixture_blueprint()
        edited["premise"] = "Written while S3 was down."
        body = {
            "changes": [
                {
                    "change_id": str(uuid.uuid4()),
                    "story_id": story["story_id"],
                    "base_revision": 1,
                    "blueprint": edited,
                }
            ]
        }

        switchable_s3.stop()
        down = client.post("/api/v1/sync/push", json=body, headers=headers)
        assert down.status_code == 503
        assert int(down.headers["retry-after"]) > 0
        assert down.json()["code"] == "service_unavailable"
        assert counts(app) == before
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.json()["status"] == "degraded"
        # A code, not the error's text (no endpoint, bucket or path for anonymous callers).
        assert health.json()["checks"]["object_store"] == "unavailable"
        assert bucket not in health.text

        switchable_s3.start()
        up = client.post("/api/v1/sync/push", json=body, headers=headers)
        assert up.status_code == 200
        assert up.json()["results"][0]["status"] == "applied"
        head = client.get(f"/api/v1/stories/{story['story_id']}?view=full", headers=headers).json()
        assert head["blueprint"]["premise"] == "Written while S3 was down."
        assert client.get("/healthz").status_code == 200


def test_a_one_field_push_lands_during_an_s3_outage_as_a_delta(
    backend: str, settings_for: Any, switchable_s3: Switchable, clock: FakeClock
) -> None:
    # ADR 0081: a delta is kept in its revision row, and the head is in the document cache,
    # so a small edit needs no object-store call; it reads back once the store is back.
    bucket = f"outage-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=switchable_s3.url, region_name="us-east-1").create_bucket(
        Bucket=bucket
    )
    settings = settings_for(
        backend, blob_store="s3", s3_endpoint_url=switchable_s3.url, s3_bucket=bucket
    )
    app = create_app(settings, clock=clock)
    with TestClient(app) as client:
        api = Api(client)
        headers = api.user()
        story = api.create_story(headers)
        before = counts(app)
        patch = {"ops": [{"op": "set", "path": "premise", "old": story["blueprint"]["premise"]}]}
        patch["ops"][0]["new"] = "Written while S3 was down."
        change = {
            "change_id": str(uuid.uuid4()),
            "story_id": story["story_id"],
            "base_revision": 1,
            "patch": patch,
        }
        switchable_s3.stop()
        try:
            down = client.post("/api/v1/sync/push", json={"changes": [change]}, headers=headers)
        finally:
            switchable_s3.start()
        assert down.status_code == 200, down.text
        assert down.json()["results"][0]["status"] == "applied"
        assert counts(app)[0] == before[0] + 1  # one more revision row
    fresh = create_app(settings, clock=clock)  # an empty document cache: read from storage
    with TestClient(fresh) as client:
        got = client.get(f"/api/v1/stories/{story['story_id']}/revisions/2", headers=headers)
        assert got.json()["blueprint"]["premise"] == "Written while S3 was down."
