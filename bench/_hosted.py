"""The sync API's hosted shape, all local, for benchmarks: a scratch PostgreSQL database and an
S3 HTTP endpoint (moto's server in its own process, standing in for AWS S3).

``hosted_env(tmp)`` yields the ``STORY_GEN_*`` (and AWS credential) variables that point the
sync API at them; the database is migrated to head and dropped afterwards, the S3 process
stopped. Needs PostgreSQL on 127.0.0.1:5432 (``make system-deps``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3
import httpx
from sqlalchemy import create_engine, text

__all__ = ["PG_ADMIN", "free_port", "hosted_env", "wait_for"]

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not come up")


@contextmanager
def hosted_env(tmp: Path, *, pool_size: int = 5) -> Iterator[dict[str, str]]:
    from story_gen.sync_api.migrate import upgrade_head

    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"story_gen_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    database_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    s3_port = free_port()
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "STORY_GEN_DATABASE_URL": database_url,
        "STORY_GEN_BLOB_STORE": "s3",
        "STORY_GEN_S3_BUCKET": "bench",
        "STORY_GEN_S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
        "STORY_GEN_DB_POOL_SIZE": str(pool_size),
        "STORY_GEN_BLOB_GC_INTERVAL_SECONDS": "0",
        "STORY_GEN_LOG_LEVEL": "WARNING",
        "STORY_GEN_DATA_DIR": str(tmp),
    }
    tmp.mkdir(parents=True, exist_ok=True)
    log = (tmp / "s3.log").open("wb")
    s3 = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(f"http://127.0.0.1:{s3_port}/")
        boto3.client(
            "s3",
            endpoint_url=env["STORY_GEN_S3_ENDPOINT_URL"],
            region_name="us-east-1",
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
        ).create_bucket(Bucket="bench")
        engine = create_engine(database_url)
        upgrade_head(engine)
        engine.dispose()
        yield env
    finally:
        s3.terminate()
        s3.wait(timeout=30)
        log.close()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def serve_api(tmp: Path, env: dict[str, str], *, workers: int = 1) -> Iterator[str]:
    """The sync API under uvicorn (``workers`` processes) in its own process, as deployed (no
    proxy-header rewrite); yields its base URL, its log in ``tmp/api.log``."""
    port = free_port()
    log = (tmp / "api.log").open("wb")
    api = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "story_gen.sync_api:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "--no-proxy-headers",
            *(["--workers", str(workers)] if workers > 1 else []),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        yield f"http://127.0.0.1:{port}"
    finally:
        api.terminate()
        api.wait(timeout=30)
        log.close()
