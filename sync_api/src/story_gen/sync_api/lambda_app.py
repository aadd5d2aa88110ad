"""What the Lambda entry point is made of: the Mangum handler and the SnapStart hooks.

API Gateway HTTP APIs put a named stage in front of every path (``/prod/healthz`` for stage
``prod``); ``STORY_GEN_API_GATEWAY_BASE_PATH`` (``/<stage>``, set by the SAM template) is what
Mangum strips before routing. ``lifespan="off"``: Mangum would otherwise run the app's startup
and shutdown on every invocation; migrations are a deploy step, pruning and GC are scheduled
jobs.

SnapStart (ops/aws/template.yaml) freezes the initialised process once per published version
and thaws copies of it: connections open at the freeze would be stale in every copy, and every
copy would share them. :func:`before_snapshot` drops them (database pool, boto3 clients) and
warms what does not connect (imports, the OpenAPI document); :func:`after_restore` forgets the
engine (so the database secret is read again, picking up a rotation) and opens a fresh
connection before the first request arrives.
"""

from __future__ import annotations

import importlib

from fastapi import FastAPI
from mangum import Mangum
from sqlalchemy import text

from story_gen.sync_api.app import create_app
from story_gen.sync_api.config import Settings
from story_gen.sync_api.ops.logs import logger
from story_gen.sync_api.services import Services

__all__ = ["after_restore", "before_snapshot", "build_handler"]

WARM_IMPORTS = ("boto3", "botocore.session", "argon2", "psycopg")
"""Imported before the snapshot (nothing connects): a thawed copy starts with them loaded."""


def _services(app: FastAPI) -> Services:
    services = app.state.services
    assert isinstance(services, Services)
    return services


def _reset_blob_connections(services: Services) -> None:
    reset = getattr(services.blobs, "reset_connections", None)
    if callable(reset):
        reset()


def before_snapshot(app: FastAPI) -> None:
    """Runtime hook: drop every connection, load what the first requests would import."""
    for name in WARM_IMPORTS:
        try:
            importlib.import_module(name)
        except ImportError:  # pragma: no cover - every one is a dependency
            logger.warning("snapstart: could not pre-import", extra={"module": name})
    app.openapi()
    services = _services(app)
    services.db.reset()
    _reset_blob_connections(services)


def after_restore(app: FastAPI) -> None:
    """Runtime hook: new connections for this copy of the process."""
    services = _services(app)
    services.db.reset()
    _reset_blob_connections(services)
    try:
        with services.db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        # The first request retries (and answers 503 if the database is still away).
        logger.warning(
            "snapstart: database not reachable after restore", extra={"error": str(error)}
        )


def build_handler(settings: Settings | None = None) -> Mangum:
    """The Mangum handler for ``settings`` (default: the environment), hooks registered."""
    from snapshot_restore_py import register_after_restore, register_before_snapshot

    settings = settings or Settings()
    app = create_app(settings)
    register_before_snapshot(before_snapshot, app)
    register_after_restore(after_restore, app)
    return Mangum(app, lifespan="off", api_gateway_base_path=settings.api_gateway_base_path)
