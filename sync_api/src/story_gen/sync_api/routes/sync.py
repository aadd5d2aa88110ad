"""Sync protocol v1 endpoints (docs/sync-protocol.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from story_gen.core.diagnostic import Diagnostic, Severity
from story_gen.sync_api.deps import CurrentUser, ServicesDep
from story_gen.sync_api.errors import ApiError
from story_gen.sync_api.json_off_loop import JsonOffLoopRoute
from story_gen.sync_api.ops.context import current_request_id
from story_gen.sync_api.ops.logs import logger
from story_gen.sync_api.routes import errors
from story_gen.sync_api.sync.protocol import (
    ChangeResultPublic,
    PullCreate,
    PullPatchesPublic,
    PullPublic,
    PushCreate,
    PushPublic,
)
from story_gen.sync_api.sync.pull import CURSOR_PATTERN, pull
from story_gen.sync_api.sync.push import push_change

__all__ = ["router"]

# Push bodies reach megabytes (a whole blueprint per change): parsed in a worker thread.
router = APIRouter(prefix="/api/v1/sync", tags=["sync"], route_class=JsonOffLoopRoute)


@router.post("/push", response_model=PushPublic, responses=errors(400, 401))
async def push(
    request: Request, body: PushCreate, user: CurrentUser, services: ServicesDep
) -> PushPublic:
    """Apply a batch of changes; each gets its own result (applied, merged or rejected).

    Each change runs in a worker thread. Between changes the push stops when its client has
    gone (nobody would read the answer) or its time budget is spent (503: send it again; the
    changes already made answer from storage). ADR 0083."""
    limit = services.settings.max_push_changes
    if len(body.changes) > limit:
        raise ApiError(
            413,
            "batch_too_large",
            f"this push has {len(body.changes)} changes; send at most {limit} per request",
        )
    request_id = current_request_id()
    budget = services.settings.push_budget_seconds
    deadline = services.clock.now() + timedelta(seconds=budget)
    results: list[ChangeResultPublic] = []
    for change in body.changes:
        if results and await request.is_disconnected():
            logger.info(
                "push client gone; remaining changes not started", extra={"done": len(results)}
            )
            break
        if results and services.clock.now() >= deadline:
            raise budget_spent(budget, len(results), len(body.changes))
        results.append(
            await run_in_threadpool(
                push_change,
                services,
                user=user,
                change=change,
                request_id=request_id,
                device=body.device,
            )
        )
    services.metrics.observe_push((result.status, len(result.conflicts)) for result in results)
    return PushPublic(results=within_bytes(results, services.settings.max_response_bytes))


def budget_spent(budget: int, done: int, total: int) -> ApiError:
    return ApiError(
        503,
        "push_budget_exceeded",
        f"this push spent its time budget ({budget} s, STORY_GEN_PUSH_BUDGET_SECONDS) after "
        f"{done} of its {total} changes; those are stored. Send the same push again: they "
        "answer from storage and the rest are applied",
        headers={"Retry-After": "1"},
    )


def within_bytes(results: list[ChangeResultPublic], budget: int) -> list[ChangeResultPublic]:
    """Drop merged stories past ``budget`` bytes of JSON (the first always stays): each such
    result says so in a diagnostic, and the client pulls the story, which is stored anyway."""
    used = 0
    bounded = []
    for index, result in enumerate(results):
        if result.story is not None:
            size = len(result.story.model_dump_json())
            if used and used + size > budget:
                result = result.model_copy(
                    update={
                        "story": None,
                        "diagnostics": [
                            *result.diagnostics,
                            Diagnostic(
                                severity=Severity.INFO,
                                code="change.story_omitted",
                                path=f"results[{index}].story",
                                message=f"the merged story (revision {result.revision}) would "
                                f"take this answer past {budget} bytes, so it is left out",
                                hint="pull to get it: the merge is stored",
                            ),
                        ],
                    }
                )
            else:
                used += size
        bounded.append(result)
    return bounded


@router.get("/pull", response_model=PullPublic, responses=errors(401))
def pull_changes(
    user: CurrentUser,
    services: ServicesDep,
    cursor: Annotated[
        str | None,
        Query(
            max_length=64,
            description="`cursor` of the previous pull; none at first.",
            # Documented, not enforced by FastAPI: decode_cursor answers with a clearer 422.
            json_schema_extra={"pattern": CURSOR_PATTERN},
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Most stories per page.")] = 50,
) -> PullPublic:
    """Stories changed since ``cursor`` (deletions included), oldest change first."""
    return pull(
        services,
        user=user,
        cursor=cursor,
        limit=min(limit, services.settings.max_pull_page),
        max_bytes=services.settings.max_response_bytes,
    )


@router.post("/pull", response_model=PullPatchesPublic, responses=errors(400, 401))
def pull_changes_from(body: PullCreate, user: CurrentUser, services: ServicesDep) -> PullPublic:
    """Stories changed since ``cursor``, as ``GET`` answers them, except that a story named in
    ``have`` comes as the core's patches from the revision held there (with the head's
    sha256) when they are smaller than the story. ADR 0113."""
    return pull(
        services,
        user=user,
        cursor=body.cursor,
        limit=min(body.limit, services.settings.max_pull_page),
        max_bytes=services.settings.max_response_bytes,
        have=body.have,
    )
