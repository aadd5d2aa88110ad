"""The app factory: ``create_app(settings)`` wires config -> db -> blobs -> routes.

Creating the app opens no connection: the engine and the boto3 client are created lazily on
first use, so importing the Lambda handler stays cheap. Startup work (migrations, pruning, the
blob GC task) runs in the ASGI lifespan, which uvicorn runs and the Lambda handler skips.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError
from starlette.concurrency import run_in_threadpool

from story_gen.sync_api.blobs import BlobStore, BlobStoreUnavailableError
from story_gen.sync_api.blobs.factory import blob_store_from_settings
from story_gen.sync_api.blobs.instrumented import InstrumentedBlobStore
from story_gen.sync_api.clock import Clock, SystemClock
from story_gen.sync_api.config import Settings
from story_gen.sync_api.db_secret import database_for
from story_gen.sync_api.document_cache import DocumentCache
from story_gen.sync_api.errors import error_response, install_error_handlers
from story_gen.sync_api.jobs import queue_from_settings
from story_gen.sync_api.jobs.schedule import schedule_loop
from story_gen.sync_api.merge_pool import MergePool
from story_gen.sync_api.openapi_schema import close_pattern_maps
from story_gen.sync_api.ops.context import current_request_id
from story_gen.sync_api.ops.gc import prune_tables
from story_gen.sync_api.ops.logs import configure_logging
from story_gen.sync_api.ops.metrics import MetricsMiddleware, metrics_from_settings, mount_metrics
from story_gen.sync_api.ops.middleware import (
    ApiCompressionMiddleware,
    BodyLimitMiddleware,
    RequestContextMiddleware,
)
from story_gen.sync_api.routes import auth, meta, stories, sync, users
from story_gen.sync_api.security import Passwords
from story_gen.sync_api.services import Services
from story_gen.sync_api.web import mount_studio

__all__ = ["create_app", "startup"]

RETRY_AFTER_SECONDS = "5"


def startup(services: Services) -> None:
    """What a process does once before serving: migrate (if asked) and prune."""
    if services.settings.auto_migrate:
        # Alembic is imported only where it runs: the Lambda handler never migrates.
        from story_gen.sync_api.migrate import upgrade_head

        upgrade_head(services.db.engine)
    prune_tables(services)


def create_app(
    settings: Settings | None = None,
    *,
    blobs: BlobStore | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    settings = settings or Settings()
    configure_logging(
        settings.log_level,
        file=settings.log_file,
        max_bytes=settings.log_file_max_bytes,
        backups=settings.log_file_backups,
    )
    metrics = metrics_from_settings(settings)
    store = blobs or blob_store_from_settings(settings)
    services = Services(
        settings=settings,
        db=database_for(settings),
        blobs=InstrumentedBlobStore(store, metrics.blob_store_error) if metrics.enabled else store,
        clock=clock or SystemClock(),
        passwords=Passwords(settings),
        documents=DocumentCache(settings.document_cache_bytes),
        metrics=metrics,
        merges=MergePool(settings.merge_workers),
    )

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(startup, services)
        services.merges.start()
        queue = queue_from_settings(settings, services=services)
        scheduler = asyncio.create_task(schedule_loop(queue, settings, services.clock))
        try:
            yield
        finally:
            scheduler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await scheduler
            await run_in_threadpool(queue.close)
            services.merges.close()
            services.db.dispose()

    app = FastAPI(
        title="story_gen sync API",
        version="1.0.0",
        summary="Accounts, stories with revision history, and the sync protocol (v1).",
        lifespan=lifespan,
        separate_input_output_schemas=False,
        # FastAPI's /docs and /redoc pages load Swagger UI / ReDoc from a CDN, and nothing may be
        # fetched from another host (docs/adr/0025-no-cdn-api-pages.md): the reference is
        # /openapi.json and docs/api.md.
        docs_url=None,
        redoc_url=None,
    )
    app.state.services = services
    install_error_handlers(app)

    def openapi() -> dict[str, Any]:
        # Built on first use (GET /openapi.json or /api/v1), never at startup.
        if app.openapi_schema is None:
            app.openapi_schema = close_pattern_maps(FastAPI.openapi(app))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    async def unavailable(_request: Request, exc: Exception) -> JSONResponse:
        which = "object store" if isinstance(exc, BlobStoreUnavailableError) else "database"
        await run_in_threadpool(
            services.record_anomaly,
            f"{which.replace(' ', '_')}_unavailable",
            current_request_id(),
            {"error": type(exc).__name__},
        )
        return error_response(
            503,
            "service_unavailable",
            f"the {which} is not reachable right now; nothing was changed, retry in a few seconds",
            headers={"Retry-After": RETRY_AFTER_SECONDS},
        )

    async def unstorable(_request: Request, _exc: Exception) -> JSONResponse:
        return error_response(
            422,
            "text_unstorable",
            "the request holds text the database cannot store (e.g. a NUL character); "
            "remove it and retry",
        )

    app.add_exception_handler(BlobStoreUnavailableError, unavailable)
    app.add_exception_handler(DataError, unstorable)
    app.add_exception_handler(DBAPIError, unavailable)

    for router in (meta.router, auth.router, users.router, stories.router, sync.router):
        app.include_router(router)
    mount_metrics(app, settings, metrics)
    mount_studio(app, settings.web_dir)

    # Outermost first: metrics (they see every final status), then request id/logs/last-resort
    # 500s, then compression, then CORS, then limits.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=False,
        allow_methods=["GET", "POST", "PUT", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
        expose_headers=["X-Request-ID", "Retry-After", "X-Story-Revision", "ETag"],
        max_age=600,
    )
    app.add_middleware(ApiCompressionMiddleware)
    app.add_middleware(RequestContextMiddleware, on_anomaly=services.record_anomaly)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    return app
