"""GET /metrics: Prometheus text, counted by route template and status, push results and
conflicts, blob store errors, 429s; protected by a token when one is set; summed over worker
processes in multiprocess mode. Parsed with prometheus-client's own parser."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from story_gen.sync_api import create_app

from .conftest import Api, fixture_blueprint, push_changes, settings_env, sync_change


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


def value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, tuple(sorted(labels.items()))), 0.0)


def test_requests_are_counted_by_route_template_and_status(client: TestClient, api: Api) -> None:
    headers = api.user()
    story = api.create_story(headers)
    for _ in range(2):
        assert (
            client.get(f"/api/v1/stories/{story['story_id']}", headers=headers).status_code == 200
        )
    assert client.get(f"/api/v1/stories/{uuid.uuid4()}", headers=headers).status_code == 404
    assert client.get("/no/such/page/" + uuid.uuid4().hex).status_code == 404
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    route = "/api/v1/stories/{story_id}"
    assert (
        value(text, "story_gen_http_requests_total", method="GET", route=route, status="200") == 2
    )
    assert (
        value(text, "story_gen_http_requests_total", method="GET", route=route, status="404") == 1
    )
    assert (
        value(text, "story_gen_http_requests_total", method="GET", route="unmatched", status="404")
        == 1
    )
    assert story["story_id"] not in text  # never a raw path
    assert (
        value(text, "story_gen_http_request_duration_seconds_count", method="GET", route=route) == 3
    )
    assert "/metrics" not in client.get("/openapi.json").text


def test_push_results_conflicts_and_refusals_are_counted(settings_for: Any, backend: str) -> None:
    settings = settings_for(backend, login_max_failures_per_account=1)
    with TestClient(create_app(settings)) as client:
        api = Api(client)
        headers = api.user()
        story = api.create_story(headers)
        sid = story["story_id"]
        first = fixture_blueprint()
        first["premise"] = "Premise one"
        second = fixture_blueprint()
        second["premise"] = "Premise two"
        results = push_changes(
            client,
            headers,
            sync_change(sid, 1, blueprint=first),
            sync_change(sid, 1, blueprint=second),  # made on revision 1 too: merged
            sync_change(str(uuid.uuid4()), 7, blueprint=first),  # a story that is not there
        )
        statuses = [result["status"] for result in results]
        conflicts = sum(len(result["conflicts"]) for result in results)
        email = api.register()["email"]
        for _ in range(3):
            client.post("/api/v1/auth/login", json={"email": email, "password": "wrong password!"})
        text = client.get("/metrics").text
    for status in ("applied", "merged", "rejected"):
        assert value(text, "story_gen_push_changes_total", status=status) == statuses.count(status)
    assert statuses.count("merged") == 1
    assert conflicts >= 1
    assert value(text, "story_gen_push_conflicts_total") == conflicts
    refused = value(text, "story_gen_rate_limit_refusals_total", route="/api/v1/auth/login")
    assert refused == 2  # the first failure is counted, the next two are refused


def test_blob_store_errors_are_counted(settings_for: Any) -> None:
    settings = settings_for(
        "sqlite", blob_store="s3", s3_endpoint_url="http://127.0.0.1:9", s3_bucket="unreachable"
    )
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 503
        text = client.get("/metrics").text
    assert value(text, "story_gen_blob_store_errors_total", operation="check") == 1
    assert value(text, "story_gen_blob_store_errors_total", operation="put") == 0


def test_a_token_protects_metrics_and_a_setting_turns_them_off(settings_for: Any) -> None:
    with TestClient(create_app(settings_for("sqlite", metrics_token="s3cret-token"))) as client:
        refused = client.get("/metrics")
        assert refused.status_code == 401
        assert refused.json()["code"] == "metrics_token_required"
        assert client.get("/metrics", headers={"Authorization": "Bearer nope"}).status_code == 401
        allowed = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
        assert allowed.status_code == 200
        assert "story_gen_http_requests_total" in allowed.text
    with TestClient(create_app(settings_for("sqlite", metrics_enabled=False))) as client:
        assert client.get("/metrics").status_code == 404


def test_openmetrics_when_the_scraper_asks(client: TestClient) -> None:
    response = client.get("/metrics", headers={"Accept": "application/openmetrics-text"})
    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.text.rstrip().endswith("# EOF")


WORKER = """
import sys
from fastapi.testclient import TestClient
from story_gen.sync_api import create_app
with TestClient(create_app()) as client:
    for _ in range(int(sys.argv[1])):
        assert client.get("/healthz").status_code == 200
    if sys.argv[2] == "render":
        print(client.get("/metrics").text)
"""


def test_worker_processes_are_summed_in_multiprocess_mode(
    settings_for: Any, tmp_path: Path
) -> None:
    """One process serves requests and exits; another answers /metrics with the sum of both."""
    folder = tmp_path / "prometheus"
    folder.mkdir()
    env = settings_env(settings_for("sqlite"), PROMETHEUS_MULTIPROC_DIR=str(folder))
    for count, mode in ((5, "quiet"), (1, "render")):
        done = subprocess.run(
            [sys.executable, "-c", WORKER, str(count), mode],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    text = done.stdout
    assert (
        value(text, "story_gen_http_requests_total", method="GET", route="/healthz", status="200")
        == 6
    )


def test_the_dashboard_only_queries_metrics_that_exist(client: TestClient) -> None:
    """Every story_gen_* series the provisioned Grafana dashboard queries is in /metrics."""
    import re

    dashboard = (
        Path(__file__).resolve().parents[2]
        / "ops"
        / "observability"
        / "grafana"
        / "dashboards"
        / "story-gen.json"
    )
    queries = [
        target["expr"]
        for panel in json.loads(dashboard.read_text("utf-8"))["panels"]
        for target in panel.get("targets", [])
        if "expr" in target
    ]
    assert queries
    client.get("/healthz")
    exposed = {name for name, _ in samples(client.get("/metrics").text)}
    for query in queries:
        for name in re.findall(r"\b(story_gen_[a-z_]+)\b", query):
            assert name in exposed, f"{name} (in {query!r}) is not exported"
