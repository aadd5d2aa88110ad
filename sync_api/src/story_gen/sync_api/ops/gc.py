"""Blob garbage collection and table pruning.

A blob with no revision row is what a push leaves when it stops between storing the blob and
committing the row (ADR 0011). Such blobs are removed once older than the grace period, which
is longer than any push can take, so a blob whose row is about to commit is never collected.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

from starlette.concurrency import run_in_threadpool

from story_gen.sync_api.blobs import BlobStoreError
from story_gen.sync_api.crud.anomalies import prune_anomalies
from story_gen.sync_api.crud.push_results import prune_push_results
from story_gen.sync_api.crud.stories import blob_is_referenced
from story_gen.sync_api.crud.tokens import prune_expired_tokens
from story_gen.sync_api.ops.logs import logger
from story_gen.sync_api.ratelimit import prune_login_failures
from story_gen.sync_api.services import Services

__all__ = ["GcReport", "blob_gc_loop", "collect_blobs", "prune_tables"]


@dataclass(frozen=True)
class GcReport:
    examined: int
    deleted: int


def collect_blobs(services: Services) -> GcReport:
    cutoff = services.clock.now() - timedelta(seconds=services.settings.blob_gc_grace_seconds)
    examined = deleted = 0
    for key in list(services.blobs.keys_older_than(cutoff)):
        examined += 1
        with services.db.session() as session:
            referenced = blob_is_referenced(session=session, blob_key=key)
        if not referenced:
            services.blobs.delete(key)
            deleted += 1
    logger.info("blob gc", extra={"examined": examined, "deleted": deleted})
    return GcReport(examined=examined, deleted=deleted)


def prune_tables(services: Services) -> dict[str, int]:
    settings = services.settings
    now = services.clock.now()
    with services.db.transaction() as session:
        report = {
            "anomaly_events": prune_anomalies(
                session=session,
                now=now,
                max_rows=settings.anomaly_max_rows,
                max_age_days=settings.anomaly_max_age_days,
            ),
            "access_tokens": prune_expired_tokens(session=session, now=now),
            "login_failures": prune_login_failures(session=session, settings=settings, now=now),
            "push_results": prune_push_results(
                session=session, now=now, max_age_days=settings.push_result_max_age_days
            ),
        }
    logger.info("pruned", extra={"removed": report})
    return report


async def blob_gc_loop(services: Services) -> None:
    """Collect blobs (and prune tables) every ``blob_gc_interval_seconds``, until cancelled."""
    interval = services.settings.blob_gc_interval_seconds
    while True:
        await asyncio.sleep(interval)
        try:
            await run_in_threadpool(collect_blobs, services)
            await run_in_threadpool(prune_tables, services)
        except (BlobStoreError, OSError) as error:
            logger.warning("blob gc failed; will retry", extra={"error": str(error)})
        except Exception:
            logger.exception("blob gc crashed; will retry")
