"""Jobs in Redis through RQ: enqueued by any API process, run by ``story-gen-sync-api worker``.

A worker process builds its services from the same ``STORY_GEN_*`` settings as the API, once
per job (RQ runs each job in a forked child, so nothing is shared between jobs).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from story_gen.sync_api.config import Settings
from story_gen.sync_api.jobs import JobHandle, UnknownJobError, retry_delays
from story_gen.sync_api.jobs.tasks import JOBS

if TYPE_CHECKING:
    from redis import Redis
    from rq.job import Job

__all__ = ["PERFORM", "RedisQueue", "perform", "run_worker"]

PERFORM = "story_gen.sync_api.jobs.redis_queue.perform"
"""What the queued RQ job calls, by import path (the worker imports it)."""

DEDUPE_PREFIX = "story-gen:jobs:once:"


def perform(job: str, kwargs: Mapping[str, object] | None = None) -> dict[str, Any]:
    """Run one job in a worker process, with services built from the environment."""
    from story_gen.sync_api.jobs.tasks import run_job
    from story_gen.sync_api.services_factory import services_from_settings

    services = services_from_settings(Settings(), documents_bytes=0)
    try:
        return run_job(services, job, kwargs)
    finally:
        services.db.dispose()


class _Handle:
    def __init__(self, job: Job) -> None:
        self.id = job.id
        self._job = job

    def wait(self, timeout: float) -> str:
        import time

        deadline = time.monotonic() + timeout
        while True:
            status = str(self._job.get_status(refresh=True))
            if status in {"finished", "failed", "canceled", "stopped"} or (
                time.monotonic() >= deadline
            ):
                return status.removeprefix("JobStatus.").lower()
            time.sleep(0.1)


class RedisQueue:
    def __init__(self, settings: Settings, connection: Redis | None = None) -> None:
        from redis import Redis
        from rq import Queue

        self.settings = settings
        self.connection = connection or Redis.from_url(settings.redis_url)
        self.queue = Queue(settings.job_queue_name, connection=self.connection)

    def enqueue(
        self, job: str, kwargs: Mapping[str, object] | None = None, *, once_per: str | None = None
    ) -> JobHandle | None:
        from rq import Retry

        if job not in JOBS:
            raise UnknownJobError(f"unknown job {job!r}; jobs are {', '.join(sorted(JOBS))}")
        if once_per is not None:
            key = f"{DEDUPE_PREFIX}{self.settings.job_queue_name}:{once_per}"
            if not self.connection.set(key, "1", nx=True, ex=7 * 24 * 3600):
                return None
        delays = retry_delays(self.settings)
        queued = self.queue.enqueue(
            PERFORM,
            job,
            dict(kwargs or {}),
            retry=Retry(max=len(delays), interval=delays) if delays else None,
            job_timeout=self.settings.job_timeout_seconds,
            result_ttl=7 * 24 * 3600,
            failure_ttl=30 * 24 * 3600,
            description=f"story-gen job {job}",
        )
        return _Handle(queued)

    def close(self) -> None:
        self.connection.close()


def run_worker(settings: Settings, *, burst: bool = False) -> bool:
    """Serve the queue until stopped (or, with ``burst``, until it is empty)."""
    from redis import Redis
    from rq import Queue, Worker

    connection = Redis.from_url(settings.redis_url)
    queue = Queue(settings.job_queue_name, connection=connection)
    worker = Worker([queue], connection=connection)
    return bool(worker.work(burst=burst, with_scheduler=True, logging_level="WARNING"))
