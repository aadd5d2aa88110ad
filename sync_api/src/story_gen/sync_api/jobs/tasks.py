"""The jobs themselves: each a function of the services and JSON-able keyword arguments."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from story_gen.sync_api.crud.anomalies import prune_anomalies
from story_gen.sync_api.crud.tokens import prune_expired_tokens
from story_gen.sync_api.jobs import UnknownJobError
from story_gen.sync_api.ops.gc import collect_blobs
from story_gen.sync_api.ops.logs import logger
from story_gen.sync_api.ratelimit import prune_login_failures
from story_gen.sync_api.services import Services

__all__ = ["JOBS", "run_job"]

JobResult = dict[str, Any]


def blob_gc(services: Services) -> JobResult:
    report = collect_blobs(services)
    return {"examined": report.examined, "deleted": report.deleted}


def prune(services: Services) -> JobResult:
    now = services.clock.now()
    with services.db.transaction() as session:
        return {
            "access_tokens": prune_expired_tokens(session=session, now=now),
            "login_failures": prune_login_failures(
                session=session, settings=services.settings, now=now
            ),
        }


def prune_anomaly_events(services: Services) -> JobResult:
    settings = services.settings
    with services.db.transaction() as session:
        removed = prune_anomalies(
            session=session,
            now=services.clock.now(),
            max_rows=settings.anomaly_max_rows,
            max_age_days=settings.anomaly_max_age_days,
        )
    return {"anomaly_events": removed}


def repack_revisions(services: Services) -> JobResult:
    from story_gen.sync_api.ops.repack import repack_revisions as repack

    report = repack(services)
    return dict(report.__dict__)


def backup(services: Services, dest: str | None = None) -> JobResult:
    from story_gen.sync_api.backup import write_backup

    target = dest or services.settings.backup_dest
    if not target:
        raise ValueError("the backup job needs a destination: set STORY_GEN_BACKUP_DEST")
    report = write_backup(services, target)
    return {"location": report.location, "stories": report.stories, "blobs": report.blobs}


JOBS: Mapping[str, Callable[..., JobResult]] = {
    "backup": backup,
    "blob_gc": blob_gc,
    "prune": prune,
    "prune_anomalies": prune_anomaly_events,
    "repack_revisions": repack_revisions,
}


def run_job(services: Services, job: str, kwargs: Mapping[str, object] | None = None) -> JobResult:
    """Run ``job`` once, log and count its outcome; exceptions propagate (the queue retries)."""
    work = JOBS.get(job)
    if work is None:
        raise UnknownJobError(f"unknown job {job!r}; jobs are {', '.join(sorted(JOBS))}")
    try:
        result = work(services, **dict(kwargs or {}))
    except Exception as error:
        services.metrics.job_finished(job, "failed")
        logger.warning(
            "job failed", extra={"job": job, "error": f"{type(error).__name__}: {error}"}
        )
        raise
    services.metrics.job_finished(job, "ok")
    logger.info("job finished", extra={"job": job, "result": result})
    return result
