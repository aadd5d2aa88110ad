"""ops/observability: the Prometheus, Loki and Promtail configs and Grafana's provisioning and
dashboard, parsed and checked against each other and the compose files that mount them. (That
every metric the dashboard queries is exported is checked against a live /metrics in
tests/sync_api/test_metrics.py.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

from ._files import OPS, load

OBSERVABILITY = OPS / "observability"
COMPOSE = load(OPS / "compose" / "observability.yml")["services"]


def config(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((OBSERVABILITY / name).read_text("utf-8"))
    return data


def mounts(service: str) -> dict[str, str]:
    """container path -> repository path of the service's bind mounts of our files."""
    out = {}
    for volume in COMPOSE[service]["volumes"]:
        source, target, *_ = volume.split(":")
        if source.startswith("../"):
            out[target] = str((OPS / "compose" / source).resolve().relative_to(OPS))
    return out


def test_prometheus_scrapes_the_api_on_the_compose_network() -> None:
    prometheus = config("prometheus.yml")
    [job] = [j for j in prometheus["scrape_configs"] if j["job_name"] == "story-gen-api"]
    assert job["metrics_path"] == "/metrics"
    assert job["static_configs"][0]["targets"] == ["api:8000"]
    services = load(OPS / "compose" / "services.yml")["services"]
    assert services["api"]["expose"] == ["8000"]
    assert mounts("prometheus")["/etc/prometheus/prometheus.yml"] == "observability/prometheus.yml"


def test_loki_is_a_single_process_with_retention() -> None:
    loki = config("loki.yml")
    assert loki["auth_enabled"] is False
    assert loki["server"]["http_listen_port"] == 3100
    [schema] = loki["schema_config"]["configs"]
    assert (schema["store"], schema["schema"], schema["object_store"]) == (
        "tsdb",
        "v13",
        "filesystem",
    )
    assert loki["compactor"]["retention_enabled"] is True
    assert loki["limits_config"]["retention_period"].endswith("h")
    assert mounts("loki")["/etc/loki/loki.yml"] == "observability/loki.yml"


def test_promtail_ships_container_logs_to_loki() -> None:
    promtail = config("promtail.yml")
    [client] = promtail["clients"]
    assert client["url"] == "http://loki:3100/loki/api/v1/push"
    [job] = promtail["scrape_configs"]
    assert job["docker_sd_configs"][0]["host"] == "unix:///var/run/docker.sock"
    assert "/var/run/docker.sock:/var/run/docker.sock:ro" in COMPOSE["promtail"]["volumes"]
    labels = {r["target_label"] for r in job["relabel_configs"]}
    assert "service" in labels  # the dashboard's log panel selects by service


def test_grafana_provisioning_and_dashboard_agree() -> None:
    grafana = mounts("grafana")
    assert grafana["/etc/grafana/provisioning"] == "observability/grafana/provisioning"
    sources = yaml.safe_load(
        (OBSERVABILITY / "grafana/provisioning/datasources/datasources.yml").read_text("utf-8")
    )
    by_uid = {d["uid"]: d for d in sources["datasources"]}
    assert by_uid["prometheus"]["url"] == "http://prometheus:9090"
    assert by_uid["loki"]["url"] == "http://loki:3100"
    assert sum(d.get("isDefault", False) for d in sources["datasources"]) == 1
    providers = yaml.safe_load(
        (OBSERVABILITY / "grafana/provisioning/dashboards/dashboards.yml").read_text("utf-8")
    )
    [provider] = providers["providers"]
    assert grafana[provider["options"]["path"]] == "observability/grafana/dashboards"

    dashboard_files = sorted(Path(OBSERVABILITY / "grafana" / "dashboards").glob("*.json"))
    assert [p.name for p in dashboard_files] == ["story-gen.json"]
    dashboard = json.loads(dashboard_files[0].read_text("utf-8"))
    assert dashboard["uid"]
    assert dashboard["title"]
    panels = dashboard["panels"]
    assert len({p["id"] for p in panels}) == len(panels)
    for panel in panels:
        assert panel["datasource"]["uid"] in by_uid, panel["title"]
        assert {"x", "y", "w", "h"} <= set(panel["gridPos"])
        assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24
        refs = [t["refId"] for t in panel["targets"]]
        assert refs
        assert len(set(refs)) == len(refs)
        assert all(t["expr"].strip() for t in panel["targets"])
    kinds = {p["datasource"]["uid"] for p in panels}
    assert kinds == {"prometheus", "loki"}
    titles = " ".join(p["title"].lower() for p in panels)
    for topic in ("latency", "push", "conflicts", "object store", "rate-limit", "jobs"):
        assert topic in titles
