"""Prometheus metrics: what the API counts, the middleware that times requests, GET /metrics.

Counted (names are the contract of ops/observability's dashboard; a test checks every name it
queries is exposed):

- ``story_gen_http_requests_total{method,route,status}`` and
  ``story_gen_http_request_duration_seconds{method,route}`` (histogram), by route *template*
  (``/api/v1/stories/{story_id}``), never by raw path, so a scan of random URLs adds one series
  (``route="unmatched"``), not thousands;
- ``story_gen_push_changes_total{status}`` (applied / merged / rejected) and
  ``story_gen_push_conflicts_total`` (conflicts created by merges);
- ``story_gen_blob_store_errors_total{operation}``;
- ``story_gen_rate_limit_refusals_total{route}`` (every 429 answered);
- ``story_gen_jobs_total{job,outcome}`` (background jobs run in this process).

Several worker processes (uvicorn ``--workers``, gunicorn): set ``PROMETHEUS_MULTIPROC_DIR`` to
an empty folder shared by the workers of one server and cleared at its start; every worker then
writes its samples there and GET /metrics, answered by any worker, sums them all (the
prometheus-client multiprocess mode). Without it, each worker reports only its own counts.

On Lambda each execution environment counts only the requests it served and starts from zero;
nothing scrapes it, so the template turns /metrics off (``STORY_GEN_METRICS_ENABLED=false``)
and API Gateway's and Lambda's CloudWatch metrics take its place (docs/deployment.md).
prometheus-client is imported only when metrics are on.
"""

from __future__ import annotations

import hmac
import os
import time
from typing import TYPE_CHECKING, Any, Protocol

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from story_gen.sync_api.config import Settings
from story_gen.sync_api.errors import error_response

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "Metrics",
    "MetricsMiddleware",
    "NoMetrics",
    "PrometheusMetrics",
    "metrics_from_settings",
    "mount_metrics",
]

KNOWN_JOBS = ("backup", "blob_gc", "prune", "prune_anomalies", "repack_revisions")
"""Exported at 0 from the start (tests/sync_api/test_jobs.py checks it is the job list)."""
RATE_LIMITED_ROUTES = ("/api/v1/auth/login",)
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
UNMATCHED = "unmatched"


class Metrics(Protocol):
    enabled: bool

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None: ...

    def observe_push(self, statuses: Iterable[tuple[str, int]]) -> None:
        """One ``(status, conflicts created)`` per change of a push."""
        ...

    def blob_store_error(self, operation: str) -> None: ...

    def job_finished(self, job: str, outcome: str) -> None: ...

    def render(self, accept: str) -> tuple[bytes, str]:
        """The exposition body and its content type (OpenMetrics when the scraper asks)."""
        ...


class NoMetrics:
    """Metrics turned off: every observation is dropped."""

    enabled = False

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        pass

    def observe_push(self, statuses: Iterable[tuple[str, int]]) -> None:
        pass

    def blob_store_error(self, operation: str) -> None:
        pass

    def job_finished(self, job: str, outcome: str) -> None:
        pass

    def render(self, accept: str) -> tuple[bytes, str]:
        return b"", "text/plain"


class PrometheusMetrics:
    """Counters and histograms in a registry of their own (one per app; tests build many)."""

    enabled = True

    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Histogram

        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.requests = Counter(
            "story_gen_http_requests",
            "HTTP requests answered, by route template and status.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "story_gen_http_request_duration_seconds",
            "Time from the request's arrival to the end of its response.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.push_changes = Counter(
            "story_gen_push_changes",
            "Pushed changes by result (applied, merged, rejected).",
            ["status"],
            registry=registry,
        )
        self.push_conflicts = Counter(
            "story_gen_push_conflicts",
            "Conflicts created by merging pushed changes.",
            registry=registry,
        )
        self.blob_errors = Counter(
            "story_gen_blob_store_errors",
            "Object store operations that failed (unreachable or refused).",
            ["operation"],
            registry=registry,
        )
        self.rate_limited = Counter(
            "story_gen_rate_limit_refusals",
            "Requests refused with 429 (login attempts over the limit).",
            ["route"],
            registry=registry,
        )
        self.jobs = Counter(
            "story_gen_jobs",
            "Background jobs finished in this process, by outcome (ok, failed).",
            ["job", "outcome"],
            registry=registry,
        )
        for status in ("applied", "merged", "rejected"):
            self.push_changes.labels(status=status)  # exported as 0 before the first push
        for operation in ("put", "get", "delete", "list", "check"):
            self.blob_errors.labels(operation=operation)
        for route in RATE_LIMITED_ROUTES:
            self.rate_limited.labels(route=route)
        for job in KNOWN_JOBS:
            for outcome in ("ok", "failed"):
                self.jobs.labels(job=job, outcome=outcome)

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method=method, route=route, status=str(status)).inc()
        self.latency.labels(method=method, route=route).observe(seconds)
        if status == 429:
            self.rate_limited.labels(route=route).inc()

    def observe_push(self, statuses: Iterable[tuple[str, int]]) -> None:
        for status, conflicts in statuses:
            self.push_changes.labels(status=status).inc()
            if conflicts:
                self.push_conflicts.inc(conflicts)

    def blob_store_error(self, operation: str) -> None:
        self.blob_errors.labels(operation=operation).inc()

    def job_finished(self, job: str, outcome: str) -> None:
        self.jobs.labels(job=job, outcome=outcome).inc()

    def render(self, accept: str) -> tuple[bytes, str]:
        from prometheus_client import CollectorRegistry
        from prometheus_client.exposition import choose_encoder

        registry = self.registry
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client.multiprocess import MultiProcessCollector

            registry = CollectorRegistry()
            MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        encoder, content_type = choose_encoder(accept)
        return encoder(registry), content_type


def metrics_from_settings(settings: Settings) -> Metrics:
    return PrometheusMetrics() if settings.metrics_enabled else NoMetrics()


def route_label(scope: Scope) -> str:
    """The matched route's template, ``studio`` for the static studio, else ``unmatched``."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str) and path:
        return path
    if route is not None:
        return "studio"
    return UNMATCHED


class MetricsMiddleware:
    """Times every HTTP request and counts it by route template and final status."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.metrics.enabled:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            self.metrics.observe_request(
                str(scope.get("method", "")),
                route_label(scope),
                status,
                time.perf_counter() - started,
            )


def mount_metrics(app: FastAPI, settings: Settings, metrics: Metrics) -> None:
    """GET /metrics (not in the OpenAPI document: it is for the operator's scraper)."""
    if not metrics.enabled:
        return
    token = settings.metrics_token

    def serve(request: Request) -> Any:
        if token is not None:
            given = request.headers.get("authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                return error_response(
                    401,
                    "metrics_token_required",
                    "GET /metrics needs `Authorization: Bearer <STORY_GEN_METRICS_TOKEN>`",
                    headers={"WWW-Authenticate": "Bearer"},
                )
        body, content_type = metrics.render(request.headers.get("accept", ""))
        return Response(body, media_type=content_type, headers={"Cache-Control": "no-store"})

    app.add_api_route("/metrics", serve, methods=["GET"], include_in_schema=False)
