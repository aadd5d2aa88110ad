"""The periodic jobs, enqueued from the API's lifespan.

Every ``STORY_GEN_BLOB_GC_INTERVAL_SECONDS``: ``blob_gc``, ``prune``, ``prune_anomalies``; every
``STORY_GEN_BACKUP_INTERVAL_SECONDS`` (when ``STORY_GEN_BACKUP_DEST`` is set): ``backup``. Each
enqueue carries the period's number as its ``once_per`` key, so API processes sharing a Redis
queue enqueue a period's job once between them.
"""

from __future__ import annotations

import asyncio

from starlette.concurrency import run_in_threadpool

from story_gen.sync_api.clock import Clock
from story_gen.sync_api.config import Settings
from story_gen.sync_api.jobs import JobQueue
from story_gen.sync_api.ops.logs import logger

__all__ = ["due_jobs", "schedule_loop"]

MAINTENANCE = ("blob_gc", "prune", "prune_anomalies")


def due_jobs(settings: Settings) -> list[tuple[str, int]]:
    """(job, period in seconds) for every periodic job these settings turn on."""
    jobs: list[tuple[str, int]] = []
    if settings.blob_gc_interval_seconds > 0:
        jobs += [(job, settings.blob_gc_interval_seconds) for job in MAINTENANCE]
    if settings.backup_interval_seconds > 0 and settings.backup_dest:
        jobs.append(("backup", settings.backup_interval_seconds))
    return jobs


async def schedule_loop(queue: JobQueue, settings: Settings, clock: Clock) -> None:
    """Enqueue each periodic job at the end of each of its periods, until cancelled."""
    jobs = due_jobs(settings)
    if not jobs:
        return
    tick = min(period for _, period in jobs)
    started = clock.now().timestamp()
    last = {job: int(started // period) for job, period in jobs}
    while True:
        await asyncio.sleep(min(tick, 60))
        now = clock.now().timestamp()
        for job, period in jobs:
            current = int(now // period)
            if current == last[job]:
                continue
            last[job] = current
            try:
                await run_in_threadpool(queue.enqueue, job, None, once_per=f"{job}:{current}")
            except Exception as error:
                logger.warning(
                    "could not enqueue a job; the next period will",
                    extra={"job": job, "error": str(error)},
                )
