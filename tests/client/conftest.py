"""The client against the real sync API: the sync API suite's backends (SQLite + blob folder,
PostgreSQL + S3 over HTTP), served by uvicorn on a loopback port (``live_url``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from story_gen.client import StoryApiClient
from tests.sync_api.conftest import (  # noqa: F401  (fixtures shared with the API's suite)
    _aws_test_credentials,
    app,
    backend,
    client,
    clock,
    live_url,
    postgres_url,
    s3_bucket,
    s3_endpoint,
    settings,
    settings_for,
)

PASSWORD = "correct horse battery"


@pytest.fixture
def api_client(live_url: str) -> Iterator[StoryApiClient]:  # noqa: F811 (the fixture)
    """A client for a new account on the live API, signed in."""
    with StoryApiClient(live_url) as story_client:
        email = f"c{uuid.uuid4().hex[:10]}@example.org"
        story_client.register(email, PASSWORD, "Writer")
        story_client.login(email, PASSWORD)
        yield story_client
