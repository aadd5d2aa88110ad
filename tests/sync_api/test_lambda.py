"""The Lambda path: API Gateway HTTP API (payload v2) events through the Mangum handler.

AWS itself (API Gateway, the Lambda runtime) cannot exist here, so the events are built by
hand in the documented v2 format and passed to the same handler object Lambda would call, on
a thread of its own as the Lambda runtime would (see :class:`LambdaRuntime`). The events are
the ones API Gateway sends for the stage ops/aws/template.yaml deploys (read from the template,
not written here): for a named stage, ``rawPath`` and ``requestContext.http.path`` start with
``/<stage>``.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from fastapi import FastAPI
from mangum import Mangum

from story_gen.sync_api import Settings, create_app
from story_gen.sync_api.lambda_app import build_handler
from story_gen.sync_api.migrate import upgrade_head

from .conftest import fixture_blueprint, settings_env
from .sam import deployed_stage, function_environment

STAGE = deployed_stage()
"""The stage the template deploys the HTTP API to (``prod`` with its defaults)."""


def http_api_event(
    method: str,
    path: str,
    *,
    body: Any = None,
    headers: dict[str, str] | None = None,
    query: str = "",
    binary: bool = False,
    stage: str = STAGE,
) -> dict[str, Any]:
    """The event API Gateway sends for ``path`` of the app, called through ``stage``."""
    raw = json.dumps(body) if body is not None else None
    path = path if stage == "$default" else f"/{stage}{path}"
    all_headers = {"host": "abc123.execute-api.eu-west-1.amazonaws.com", **(headers or {})}
    if raw is not None:
        all_headers["content-type"] = "application/json"
    encoded = base64.b64encode(raw.encode()).decode() if (raw and binary) else raw
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": all_headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "domainName": "abc123.execute-api.eu-west-1.amazonaws.com",
            "domainPrefix": "abc123",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": "story_gen-test",
            },
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "routeKey": "$default",
            "stage": stage,
            "time": "12/Mar/2026:19:03:58 +0000",
            "timeEpoch": 1773342238000,
        },
        "body": encoded,
        "isBase64Encoded": binary and raw is not None,
    }


def app_of(handler: Mangum) -> FastAPI:
    app = handler.app
    assert isinstance(app, FastAPI)
    return app


def lambda_settings(settings: Settings) -> Settings:
    """``settings`` with what the template sets for the stage (the base path Mangum strips)."""
    environment = function_environment()
    base_path = environment["STORY_GEN_API_GATEWAY_BASE_PATH"]
    assert base_path is not None
    return settings.model_copy(update={"auto_migrate": False, "api_gateway_base_path": base_path})


class LambdaContext:
    function_name = "story-gen-api"
    aws_request_id = "req-1"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


T = TypeVar("T")


class LambdaRuntime:
    """Runs a handler the way the Lambda runtime does: every invocation on the runtime's one
    thread, which has an event loop set but never running between invocations.

    Mangum drives each invocation with ``loop.run_until_complete`` on the invoking thread's
    loop. pytest's own thread cannot promise that: once the e2e tests start Playwright's sync
    API (a session fixture), its loop stays *running* on pytest's thread until the session
    ends, and Mangum called there fails with "This event loop is already running". The
    handler is not at fault (Lambda never calls it inside a running loop); calling it from
    pytest's thread was.
    """

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lambda-runtime")
        self._loop = self.run(self._new_loop)

    @staticmethod
    def _new_loop() -> asyncio.AbstractEventLoop:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        return loop

    def run(self, work: Callable[[], T]) -> T:
        return self._thread.submit(work).result(timeout=120)

    def invoke(self, handler: Mangum, event: dict[str, Any]) -> dict[str, Any]:
        response: dict[str, Any] = self.run(lambda: handler(event, LambdaContext()))  # type: ignore[arg-type]
        return response

    def close(self) -> None:
        self.run(self._loop.close)
        self._thread.shutdown()


@pytest.fixture
def runtime() -> Iterator[LambdaRuntime]:
    lambda_runtime = LambdaRuntime()
    yield lambda_runtime
    lambda_runtime.close()


def call(
    runtime: LambdaRuntime, handler: Mangum, event: dict[str, Any]
) -> tuple[int, dict[str, str], Any]:
    response = runtime.invoke(handler, event)
    body = response["body"]
    if response.get("isBase64Encoded"):
        body = base64.b64decode(body).decode()
    return response["statusCode"], response["headers"], json.loads(body) if body else None


def test_a_session_through_api_gateway_v2_events(
    settings: Settings, runtime: LambdaRuntime
) -> None:
    # Built on the runtime's thread, like the module-level handler at a cold start.
    handler = runtime.run(lambda: build_handler(lambda_settings(settings)))
    services = app_of(handler).state.services
    assert not services.db.created  # building the app connects to nothing
    upgrade_head(services.db.engine)  # the deploy step, not the handler's job

    status, _, health = call(runtime, handler, http_api_event("GET", "/healthz"))
    assert (status, health["status"]) == (200, "ok")
    status, _, index = call(runtime, handler, http_api_event("GET", "/api/v1"))
    assert status == 200
    assert "POST /api/v1/sync/push" in index["endpoints"]
    account = {"email": "lambda@example.org", "password": "correct horse battery"}
    status, _, user = call(
        runtime,
        handler,
        http_api_event("POST", "/api/v1/auth/register", body={**account, "display_name": "L"}),
    )
    assert status == 201
    status, _, token = call(
        runtime, handler, http_api_event("POST", "/api/v1/auth/login", body=account)
    )
    assert status == 200
    auth = {"authorization": f"Bearer {token['access_token']}"}
    status, headers, story = call(
        runtime,
        handler,
        http_api_event(
            "POST",
            "/api/v1/stories",
            body={"title": "Via Lambda", "blueprint": fixture_blueprint()},
            headers=auth,
            binary=True,
        ),
    )
    assert status == 201, story
    assert story["owner_id"] == user["user_id"]
    assert headers["x-request-id"]
    status, _, page = call(
        runtime, handler, http_api_event("GET", "/api/v1/sync/pull", headers=auth, query="limit=5")
    )
    assert status == 200
    assert [c["story_id"] for c in page["changes"]] == [story["story_id"]]
    raw = runtime.invoke(
        handler,
        http_api_event("GET", "/api/v1/stories", headers={**auth, "accept-encoding": "gzip"}),
    )
    assert raw["headers"]["content-encoding"] == "gzip"
    assert raw["isBase64Encoded"] is True  # API Gateway decodes it and sends the gzip bytes
    listed = json.loads(gzip.decompress(base64.b64decode(raw["body"])))
    assert [s["story_id"] for s in listed] == [story["story_id"]]
    status, _, error = call(runtime, handler, http_api_event("GET", "/api/v1/me"))
    assert status == 401
    assert error["code"] == "unauthenticated"
    services.db.dispose()


def test_invocations_do_not_depend_on_the_callers_event_loop(
    settings: Settings, runtime: LambdaRuntime
) -> None:
    """The situation of the full suite after the e2e tests: the calling thread is inside a
    running event loop (Playwright's sync API keeps one running on pytest's thread)."""
    handler = runtime.run(lambda: build_handler(lambda_settings(settings)))
    app = app_of(handler)
    upgrade_head(app.state.services.db.engine)
    statuses: list[int] = []

    async def caller_with_a_running_loop() -> None:
        asyncio.get_running_loop()  # this thread's loop is running while the handler is called
        statuses.append(runtime.invoke(handler, http_api_event("GET", "/healthz"))["statusCode"])

    caller = threading.Thread(target=asyncio.run, args=(caller_with_a_running_loop(),))
    caller.start()
    caller.join(timeout=120)
    assert statuses == [200]
    app.state.services.db.dispose()


def test_the_handler_module_imports_light_and_serves(settings: Settings) -> None:
    """Import the real module in a fresh interpreter: no connection at import, then a request."""
    app = create_app(settings)
    upgrade_head(app.state.services.db.engine)
    app.state.services.db.dispose()
    env = settings_env(lambda_settings(settings))
    script = f"""
import json, sys
from story_gen.sync_api import lambda_handler
services = lambda_handler.handler.app.state.services
assert not services.db.created, "the engine was created at import"
event = json.loads({json.dumps(json.dumps(http_api_event("GET", "/healthz")))})
class Ctx:
    def get_remaining_time_in_millis(self): return 30000
response = lambda_handler.handler(event, Ctx())
print(json.dumps(response))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    response = json.loads(done.stdout.strip().splitlines()[-1])
    assert response["statusCode"] == 200
    assert json.loads(response["body"])["status"] == "ok"


HEAVY_FOR_LATER = (
    "boto3",  # the first request that touches a blob imports it
    "botocore.session",
    "argon2",  # the first request that checks a password
    "alembic",  # migrations are a deploy step, never a request
    "psycopg",  # the engine is created on the first request that needs the database
)


def test_the_handler_module_leaves_what_requests_may_not_need_for_later() -> None:
    """Import the hosted shape's handler (Postgres + S3, neither reachable: importing must
    touch neither) and list what it loaded."""
    env = {
        **os.environ,
        "STORY_GEN_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/none",
        "STORY_GEN_BLOB_STORE": "s3",
        "STORY_GEN_S3_BUCKET": "unreachable",
        "STORY_GEN_S3_ENDPOINT_URL": "http://127.0.0.1:9",
        "STORY_GEN_AUTO_MIGRATE": "false",
    }
    script = """
import json, sys
from story_gen.sync_api import lambda_handler
app = lambda_handler.handler.app
print(json.dumps({
    "modules": sorted(sys.modules),
    "engine_created": app.state.services.db.created,
    "openapi_built": app.openapi_schema is not None,
}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    modules = set(loaded["modules"])
    assert [name for name in HEAVY_FOR_LATER if name in modules] == []
    assert loaded["engine_created"] is False
    assert loaded["openapi_built"] is False


def test_the_template_deploys_a_named_stage_and_every_route_is_under_it() -> None:
    """What API Gateway sends: the stage's name before the app's path."""
    assert STAGE != "$default"
    event = http_api_event("GET", "/healthz")
    assert event["rawPath"] == f"/{STAGE}/healthz"
    assert event["requestContext"]["http"]["path"] == f"/{STAGE}/healthz"
    assert function_environment()["STORY_GEN_API_GATEWAY_BASE_PATH"] == f"/{STAGE}"


def test_without_the_stage_base_path_every_route_is_a_404(
    settings: Settings, runtime: LambdaRuntime
) -> None:
    """The defect the base path fixes: a handler that routes ``rawPath`` as it comes."""
    app = create_app(settings.model_copy(update={"auto_migrate": False}))
    upgrade_head(app.state.services.db.engine)
    bare = runtime.run(lambda: Mangum(app, lifespan="off"))
    fixed = runtime.run(lambda: build_handler(lambda_settings(settings)))
    upgrade_head(app_of(fixed).state.services.db.engine)
    for path in ("/healthz", "/api/v1"):
        assert runtime.invoke(bare, http_api_event("GET", path))["statusCode"] == 404
        assert runtime.invoke(fixed, http_api_event("GET", path))["statusCode"] == 200
    app.state.services.db.dispose()
    app_of(fixed).state.services.db.dispose()


def boto3_client(store: Any) -> object | None:
    """The S3 store's current boto3 client (None until one is made)."""
    client: object | None = store._client
    return client


def _connections(database_url: str) -> int:
    """Open connections to the deployment's database, seen from the server."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    name = make_url(database_url).database
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": name},
                ).scalar_one()
            )
    finally:
        engine.dispose()


def test_snapstart_hooks_drop_and_reopen_connections(
    settings_for: Any, runtime: LambdaRuntime
) -> None:
    """Call the registered hooks the way the Lambda runtime does around a snapshot: before it,
    no database connection or boto3 client survives; after a restore, new ones serve."""
    from snapshot_restore_py import get_after_restore, get_before_snapshot

    settings = lambda_settings(settings_for("postgres", db_pool_size=2))
    assert settings.database_url is not None
    handler = runtime.run(lambda: build_handler(settings))
    app = app_of(handler)
    services = app.state.services
    mine = [(f, a, k) for f, a, k in get_before_snapshot() if a == (app,)]
    restore = [(f, a, k) for f, a, k in get_after_restore() if a == (app,)]
    assert len(mine) == len(restore) == 1

    upgrade_head(services.db.engine)
    assert runtime.invoke(handler, http_api_event("GET", "/healthz"))["statusCode"] == 200
    s3 = services.blobs.inner if hasattr(services.blobs, "inner") else services.blobs
    engine_before, client_before = services.db.engine, boto3_client(s3)
    assert client_before is not None
    assert _connections(settings.database_url) >= 1

    for function, args, kwargs in mine:  # init done, the snapshot is about to be taken
        function(*args, **kwargs)
    assert _connections(settings.database_url) == 0
    assert not services.db.created
    assert boto3_client(s3) is None
    assert app.openapi_schema is not None  # warmed into the snapshot

    for function, args, kwargs in restore:  # a copy of the snapshot wakes up
        function(*args, **kwargs)
    assert services.db.created
    assert services.db.engine is not engine_before
    assert _connections(settings.database_url) == 1  # opened before the first request
    assert runtime.invoke(handler, http_api_event("GET", "/healthz"))["statusCode"] == 200
    assert boto3_client(s3) is not None
    assert boto3_client(s3) is not client_before
    services.db.dispose()
