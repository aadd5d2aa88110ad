"""Retries against a real outage: the object store (a moto S3 server over HTTP) goes down, the
API answers a push with 503 + Retry-After, the client waits as told and retries the same
change, which lands once."""

from __future__ import annotations

import uuid
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient

from story_gen.client import ApiError, RetryPolicy, StoryApiClient, SyncEngine
from story_gen.sync_api import create_app
from story_gen.sync_api.clock import FakeClock
from tests.sync_api.test_outage import Switchable, switchable_s3  # noqa: F401 (the fixture)

from .conftest import PASSWORD
from .devices import InProcess
from .test_client import blueprint


def test_a_push_during_an_outage_waits_as_told_and_lands_once(
    backend: str,
    settings_for: Any,
    switchable_s3: Switchable,  # noqa: F811 (the fixture)
    clock: FakeClock,
) -> None:
    bucket = f"retry-{uuid.uuid4().hex[:12]}"
    s3 = boto3.client("s3", endpoint_url=switchable_s3.url, region_name="us-east-1")
    s3.create_bucket(Bucket=bucket)
    settings = settings_for(
        backend, blob_store="s3", s3_endpoint_url=switchable_s3.url, s3_bucket=bucket
    )
    app = create_app(settings, clock=clock)
    waits: list[float] = []

    def wait(seconds: float) -> None:
        waits.append(seconds)
        switchable_s3.start()  # the outage ends while the client waits

    with TestClient(app) as http:
        story_client = StoryApiClient(
            "http://testserver",
            transport=InProcess(http),
            sleep=wait,
            retry=RetryPolicy(attempts=3),
        )
        email = f"r{uuid.uuid4().hex[:10]}@example.org"
        story_client.register(email, PASSWORD, "Retry")
        story_client.login(email, PASSWORD)
        created = story_client.create_story("Alice", blueprint())
        engine = SyncEngine()
        # A story new to the account: its first revision is a snapshot, which needs the object
        # store (a one-field edit would not: its delta is kept in the revision's row, ADR 0081).
        fresh = created.to_story().model_copy(
            update={"story_id": uuid.uuid4(), "title": "Written during the outage"}
        )
        engine.edit(fresh)

        switchable_s3.stop()
        changes = engine.outgoing()
        engine.apply_push(story_client.push(changes))
        assert len(waits) == 1
        assert waits[0] > 0  # the server's Retry-After, not an immediate retry
        assert engine.outgoing() == []
        assert [r.revision for r in story_client.revisions(fresh.story_id)] == [1]
        assert story_client.get_story(fresh.story_id).title == "Written during the outage"
        titles = sorted(s.title for s in story_client.list_stories())
        assert titles == ["Alice", "Written during the outage"]  # landed once

        switchable_s3.stop()
        waits.clear()
        with pytest.raises(ApiError) as refused:
            story_client.create_story("Never retried", blueprint())
        assert refused.value.status == 503
        assert refused.value.retry_after is not None
        assert waits == []  # a create is sent once: a retry could make two stories
        switchable_s3.start()
