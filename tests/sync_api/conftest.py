"""Real parts for the sync API tests: PostgreSQL, an S3 HTTP endpoint, SQLite, a blob folder.

Every test that takes ``settings`` (and so ``app``, ``client``, ``api``) runs twice:

- ``sqlite``: the embedded default, SQLite file + local blob folder;
- ``postgres``: the hosted shape, PostgreSQL + S3 over HTTP.

PostgreSQL is the machine's server (127.0.0.1:5432, trust auth); each test session creates
its own database and drops it afterwards, so parallel runs do not collide. S3 is moto's
``ThreadedMotoServer``, a real HTTP endpoint on a free loopback port standing in for AWS S3
(which cannot exist here); each test gets its own bucket.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from moto.server import ThreadedMotoServer
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from story_gen.core import Story
from story_gen.sync_api import Settings, create_app
from story_gen.sync_api.clock import FakeClock
from story_gen.sync_api.migrate import upgrade_head
from story_gen.sync_api.models import Base

# The sample blueprints (copies of the team's, kept in the repository: a clone needs nothing beside it).
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "blueprints"

PG_ADMIN_URLS = (
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "postgresql+psycopg://root@127.0.0.1:5432/test",
)

# Cheap argon2 for speed; production defaults are checked in test_security.py.
FAST_HASHING = {"argon2_time_cost": 1, "argon2_memory_kib": 1024, "argon2_parallelism": 1}


@pytest.fixture(scope="session", autouse=True)
def _aws_test_credentials() -> None:
    # moto accepts any credentials; boto3 just needs some to sign with.
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh database for this test session, migrated to head, dropped at the end."""
    admin = None
    for url in PG_ADMIN_URLS:
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            admin = engine
            break
        except Exception:
            engine.dispose()
    if admin is None:
        pytest.fail("PostgreSQL is not reachable at 127.0.0.1:5432 (run `make system-deps`)")
    name = f"story_gen_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(str(admin.url)).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    upgrade_head(engine)
    engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint: str) -> str:
    name = f"story-gen-{uuid.uuid4().hex[:16]}"
    boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1").create_bucket(Bucket=name)
    return name


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _truncate(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def settings_for(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """Build settings for a backend: ``settings_for(backend, blob_store=None, **overrides)``."""
    used_postgres: list[str] = []

    def build(backend: str, *, blob_store: str | None = None, **overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "stage": "test",
            "data_dir": tmp_path / "data",
            "blob_gc_interval_seconds": 0,
            "log_level": "WARNING",
            # Tests register many accounts from one address; test_ratelimit sets its own.
            "register_max_per_address": 1_000_000,
            **FAST_HASHING,
        }
        store = blob_store or ("folder" if backend == "sqlite" else "s3")
        if backend == "postgres":
            url = request.getfixturevalue("postgres_url")
            values["database_url"] = url
            used_postgres.append(url)
        if store == "s3":
            values["blob_store"] = "s3"
            values["s3_endpoint_url"] = request.getfixturevalue("s3_endpoint")
            values["s3_bucket"] = request.getfixturevalue("s3_bucket")
        values.update(overrides)
        return Settings(**values)

    yield build
    for url in used_postgres[:1]:
        _truncate(url)


@pytest.fixture
def settings(backend: str, settings_for: Any) -> Settings:
    result: Settings = settings_for(backend)
    return result


@pytest.fixture
def clock() -> FakeClock:
    from datetime import UTC, datetime

    return FakeClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def app(settings: Settings, clock: FakeClock) -> Iterator[FastAPI]:
    application = create_app(settings, clock=clock)
    yield application
    application.state.services.db.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@dataclass
class Api:
    """Small helpers over a client: accounts and stories in one call each."""

    client: TestClient

    def register(
        self, email: str | None = None, password: str = "correct horse battery"
    ) -> dict[str, Any]:
        email = email or f"u{uuid.uuid4().hex[:10]}@example.org"
        response = self.client.post(
            "/api/v1/auth/register",
            json={"email": email, "password": password, "display_name": "Writer"},
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def login(self, email: str, password: str = "correct horse battery") -> dict[str, str]:
        response = self.client.post(
            "/api/v1/auth/login", json={"email": email, "password": password}
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def user(self) -> dict[str, str]:
        """A new account, signed in: its auth headers."""
        return self.login(self.register()["email"])

    def create_story(
        self, headers: dict[str, str], blueprint: dict[str, Any] | None = None, title: str = "Tale"
    ) -> dict[str, Any]:
        # The full representation (revision, conflicts), which the sync tests build on.
        response = self.client.post(
            "/api/v1/stories?view=full",
            json={"title": title, "blueprint": blueprint or fixture_blueprint()},
            headers=headers,
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body


def sync_change(story_id: str, base_revision: int, **payload: Any) -> dict[str, Any]:
    """One change of a sync push: a fresh change_id, the story and the revision it was made on,
    and its payload (``patch=...``, or ``blueprint=...`` with an optional ``title=...``)."""
    return {
        "change_id": str(uuid.uuid4()),
        "story_id": story_id,
        "base_revision": base_revision,
        **payload,
    }


def push_changes(
    client: TestClient, headers: dict[str, str], *changes: dict[str, Any]
) -> list[dict[str, Any]]:
    """POST /api/v1/sync/push; the per-change results (the push itself must be a 200)."""
    response = client.post("/api/v1/sync/push", json={"changes": list(changes)}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["protocol"] == 1
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def edited_story(story: Story, kind: str, number: int) -> Story:
    """``story`` with one edit of ``kind`` (premise, objective, add, remove, draft, title, move),
    varied by ``number``: what the property tests push or write as the next revision."""
    data = story.model_dump(mode="json")
    chapters = data["blueprint"]["chapters"]
    if kind == "premise":
        data["blueprint"]["premise"] = f"Premise {number} " + "words " * (number % 5)
    elif kind == "objective":
        chapters[number % len(chapters)]["objective"] = f"Objective {number}"
    elif kind == "add":
        chapters.append({**chapters[0], "key": f"extra-{uuid.uuid4().hex[:8]}"})
    elif kind == "remove" and len(chapters) > 3:
        removed = chapters.pop(number % len(chapters))
        for chapter in chapters:
            chapter["prerequisites"] = [
                key for key in chapter.get("prerequisites", []) if key != removed["key"]
            ]
    elif kind == "draft":
        lines = [f"line {n % 3}" for n in range(number)]
        chapters[number % len(chapters)]["draft_text"] = "\n".join(lines) or None
    elif kind == "title":
        data["title"] = f"Title {number}"
    elif kind == "move":
        chapters.insert(0, chapters.pop(number % len(chapters)))
    return Story.model_validate(data)


def fixture_blueprint(name: str = "alice-in-wonderland") -> dict[str, Any]:
    import json

    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
    return data


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


@pytest.fixture
def live_url(app: FastAPI) -> Iterator[str]:
    """The app served by a real uvicorn on a free loopback port, in a thread."""
    import threading
    import time

    import uvicorn

    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


def settings_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The process environment that makes ``Settings()`` equal ``settings`` (for commands run
    as their own process, the way a deployment runs them)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORY_GEN_")}
    for name, value in settings.model_dump(mode="json").items():
        if value is not None:
            env[f"STORY_GEN_{name.upper()}"] = (
                ",".join(value) if isinstance(value, list) else str(value)
            )
    env.update(extra)
    return env


@pytest.fixture
def empty_postgres_url() -> Iterator[str]:
    """A new, empty database (not migrated), dropped afterwards."""
    admin = None
    for url in PG_ADMIN_URLS:
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            admin = engine
            break
        except Exception:
            engine.dispose()
    assert admin is not None, "PostgreSQL is not reachable at 127.0.0.1:5432"
    name = f"story_gen_empty_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(str(admin.url)).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


REDIS_DBS = range(11, 16)
"""The Redis databases these tests use on the machine's Redis: one per pytest-xdist worker."""


@pytest.fixture
def redis_url() -> str:
    from redis import Redis

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    database = REDIS_DBS[int(worker.removeprefix("gw") or 0) % len(REDIS_DBS)]
    url = f"redis://127.0.0.1:6379/{database}"
    connection = Redis.from_url(url)
    try:
        connection.ping()
    except Exception:
        pytest.fail("Redis is not reachable at 127.0.0.1:6379 (run `make system-deps`)")
    finally:
        connection.close()
    return url


@pytest.fixture
def redis_queue_name(redis_url: str) -> Iterator[str]:
    """A queue name of this test's own; afterwards the keys of that queue and of its jobs go.

    Only those: another test run on the same Redis (a second checkout's suite) keeps its keys.
    """
    from redis import Redis

    name = f"story-gen-test-{uuid.uuid4().hex[:12]}"
    yield name
    connection = Redis.from_url(redis_url)
    mine = set(connection.keys(f"*{name}*"))
    for key in connection.keys("rq:job:*"):
        if connection.type(key) == b"hash" and connection.hget(key, "origin") == name.encode():
            job_id = (key.decode() if isinstance(key, bytes) else key).removeprefix("rq:job:")
            mine |= {key, *connection.keys(f"rq:results:{job_id}*")}
    if mine:
        connection.delete(*mine)
    connection.close()
