"""Service health and the API index."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from story_gen.sync_api.blobs import BlobStoreUnavailableError
from story_gen.sync_api.deps import ServicesDep
from story_gen.sync_api.ops.logs import logger
from story_gen.sync_api.routes import errors
from story_gen.sync_api.schemas import ApiIndexPublic, HealthPublic
from story_gen.sync_api.sync import PROTOCOL_VERSION

__all__ = ["router"]

SERVICE_NAME = "story_gen sync API"

router = APIRouter(tags=["meta"])


@router.get(
    "/healthz",
    response_model=HealthPublic,
    responses={503: {"model": HealthPublic, "description": "A dependency is down."}},
)
def healthz(services: ServicesDep) -> JSONResponse:
    """Liveness and readiness: answers 200 only when the database and object store answer."""
    checks: dict[str, str] = {}
    try:
        with services.db.session() as session:
            session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as error:
        # The detail goes to the log only: /healthz is unauthenticated, and an error's text
        # names paths, hosts and bucket names.
        logger.warning(
            "health check: database", extra={"error": f"{type(error).__name__}: {error}"}
        )
        checks["database"] = "unavailable"
    try:
        services.blobs.check()
        checks["object_store"] = "ok"
    except BlobStoreUnavailableError as error:
        logger.warning("health check: object store", extra={"error": str(error)})
        checks["object_store"] = "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    body = HealthPublic(
        status="ok" if healthy else "degraded", service="story_gen-sync-api", checks=checks
    )
    return JSONResponse(
        body.model_dump(mode="json"),
        status_code=200 if healthy else 503,
        headers={} if healthy else {"Retry-After": "5"},
    )


@router.get("/api/v1", response_model=ApiIndexPublic, responses=errors())
def api_index(request: Request, services: ServicesDep) -> ApiIndexPublic:
    """What this server is and which endpoints it offers."""
    settings = services.settings
    database = "sqlite" if services.db.is_sqlite else "postgres"
    paths = request.app.openapi()["paths"]
    endpoints = sorted(
        f"{method.upper()} {path}" for path, operations in paths.items() for method in operations
    )
    return ApiIndexPublic(
        name=SERVICE_NAME,
        stage=settings.stage,
        auth="bearer",
        persistence=f"{database}+{settings.blob_store}",
        sync_protocol=PROTOCOL_VERSION,
        endpoints=endpoints,
    )
