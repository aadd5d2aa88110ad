"""Operations: request ids, JSON logs, last-resort 500s, anomaly pruning, blob GC, health."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import func, select

from story_gen.sync_api import Settings, create_app
from story_gen.sync_api.blobs import content_key
from story_gen.sync_api.clock import FakeClock
from story_gen.sync_api.config import LONGEST_PUSH_SECONDS
from story_gen.sync_api.crud.anomalies import add_anomaly, list_anomalies
from story_gen.sync_api.models import AnomalyEvent
from story_gen.sync_api.ops.context import request_id_var
from story_gen.sync_api.ops.gc import collect_blobs
from story_gen.sync_api.ops.logs import JsonFormatter

from .conftest import Api


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["service"]
    assert body["checks"] == {"database": "ok", "object_store": "ok"}


def test_api_index(client: TestClient, backend: str) -> None:
    body = client.get("/api/v1").json()
    assert body["name"]
    assert body["stage"] == "test"
    assert body["auth"] == "bearer"
    assert body["persistence"] == ("sqlite+folder" if backend == "sqlite" else "postgres+s3")
    assert "POST /api/v1/sync/push" in body["endpoints"]
    assert "GET /api/v1/stories/{story_id}" in body["endpoints"]


def test_request_ids_are_echoed_or_made(client: TestClient) -> None:
    made = client.get("/healthz").headers["x-request-id"]
    assert len(made) == 32
    given = client.get("/healthz", headers={"X-Request-ID": "trace-12345678"})
    assert given.headers["x-request-id"] == "trace-12345678"
    bogus = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert bogus.headers["x-request-id"] != "<script>"


def test_json_log_lines_carry_the_request_id() -> None:
    token = request_id_var.set("req-abcdef12")
    try:
        record = logging.makeLogRecord(
            {"name": "story_gen.sync_api", "levelno": 20, "levelname": "INFO", "msg": "hello"}
        )
        record.status = 200
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["msg"] == "hello"
    assert line["request_id"] == "req-abcdef12"
    assert line["status"] == 200


def test_unexpected_errors_are_a_generic_500_and_an_anomaly(app: FastAPI) -> None:
    def broken() -> None:
        raise RuntimeError("secret internal detail")

    app.add_api_route("/boom", broken, include_in_schema=False)
    with TestClient(app) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    body = response.json()
    assert body["code"] == "internal_error"
    assert "secret" not in response.text
    assert "Traceback" not in response.text
    assert body["request_id"] == response.headers["x-request-id"]
    with app.state.services.db.session() as session:
        [event] = list_anomalies(session=session, kind="server_error")
    assert event.request_id == body["request_id"]


def test_anomalies_are_pruned_by_age_and_count_at_startup(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    settings = settings_for(backend, anomaly_max_rows=10, anomaly_max_age_days=1)
    app = create_app(settings, clock=clock)
    with TestClient(app):
        pass  # migrate
    services = app.state.services
    with services.db.transaction() as session:
        for i in range(5):
            add_anomaly(session=session, kind="old", now=clock.now() - timedelta(days=2, minutes=i))
        for i in range(15):
            add_anomaly(session=session, kind="recent", now=clock.now() - timedelta(minutes=i))
    with TestClient(create_app(settings, clock=clock)):
        pass  # startup prunes
    with services.db.session() as session:
        kinds = [e.kind for e in list_anomalies(session=session)]
        total = session.scalar(select(func.count()).select_from(AnomalyEvent))
    services.db.dispose()
    assert total == 10
    assert set(kinds) == {"recent"}


def test_blob_gc_removes_only_old_unreferenced_blobs(api: Api, clock: FakeClock) -> None:
    headers = api.user()
    story = api.create_story(headers)
    services = api.client.app.state.services  # type: ignore[attr-defined]
    orphan = b'{"orphan": true}'
    services.blobs.put(content_key(orphan), orphan)
    grace = services.settings.blob_gc_grace_seconds

    young = collect_blobs(services)  # everything is younger than the grace period
    assert young.deleted == 0
    clock.advance(grace + 3600)
    report = collect_blobs(services)
    assert report.deleted == 1
    assert report.examined == 2
    # The story's revision blob is referenced and survives.
    again = api.client.get(f"/api/v1/stories/{story['story_id']}?view=full", headers=headers)
    assert again.status_code == 200
    import pytest

    from story_gen.sync_api.blobs import BlobNotFoundError

    with pytest.raises(BlobNotFoundError):
        services.blobs.get(content_key(orphan))


def test_a_wrong_method_is_405_naming_every_method_of_the_path(client: TestClient) -> None:
    response = client.request("PATCH", "/api/v1/stories/123e4567-e89b-12d3-a456-426614174000")
    assert response.status_code == 405
    assert response.headers["allow"] == "DELETE, GET, PUT"
    assert response.json()["code"] == "method_not_allowed"
    assert "DELETE, GET, PUT" in response.json()["message"]


def test_the_schema_closes_maps_whose_keys_have_a_pattern(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    relationships = schemas["Character"]["properties"]["relationships"]
    assert relationships["patternProperties"]
    assert relationships["additionalProperties"] is False


def test_api_responses_are_gzipped_for_clients_that_accept_it(api: Api) -> None:
    headers = api.user()
    story = api.create_story(headers)
    url = f"/api/v1/stories/{story['story_id']}?view=full"
    compressed = api.client.get(url, headers={**headers, "Accept-Encoding": "gzip"})
    assert compressed.headers["content-encoding"] == "gzip"
    assert int(compressed.headers["content-length"]) < len(compressed.content)
    assert compressed.json() == story
    plain = api.client.get(url, headers={**headers, "Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.json() == story
    outside_the_api = api.client.get("/", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in outside_the_api.headers


@pytest.mark.parametrize("grace", ["0", "60", "899"])
def test_a_gc_grace_shorter_than_the_longest_push_is_refused_with_how_to_fix(
    grace: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STORY_GEN_BLOB_GC_GRACE_SECONDS", grace)
    with pytest.raises(ValidationError) as refused:
        Settings()
    message = str(refused.value)
    assert f"STORY_GEN_BLOB_GC_GRACE_SECONDS={grace} is shorter than the longest push" in message
    assert f"at least {LONGEST_PUSH_SECONDS}" in message
    monkeypatch.setenv("STORY_GEN_BLOB_GC_GRACE_SECONDS", str(LONGEST_PUSH_SECONDS))
    assert Settings().blob_gc_grace_seconds == LONGEST_PUSH_SECONDS
