"""Background jobs behind one small interface, two queues chosen by ``STORY_GEN_JOB_QUEUE``.

Jobs (:data:`~story_gen.sync_api.jobs.tasks.JOBS`): ``blob_gc``, ``prune`` (expired tokens, old
login failures), ``prune_anomalies`` and ``backup``. Each is a function of the services and a
few JSON-able keyword arguments, safe to run twice (every job is idempotent).

- :class:`~story_gen.sync_api.jobs.inprocess.InProcessQueue` (``inprocess``, the default): a
  worker thread of the API process runs them, one at a time, retrying a failure after a delay.
- :class:`~story_gen.sync_api.jobs.redis_queue.RedisQueue` (``redis``): an RQ queue in Redis;
  ``story-gen-sync-api worker`` processes run them, RQ retries them. For several API processes
  (or machines) that must not each run the same job.

The schedule (:mod:`~story_gen.sync_api.jobs.schedule`) enqueues the periodic jobs from the
API's lifespan; with the Redis queue, one period's job is enqueued once however many API
processes there are.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from story_gen.sync_api.config import Settings

if TYPE_CHECKING:
    from story_gen.sync_api.services import Services

__all__ = ["JobHandle", "JobQueue", "UnknownJobError", "queue_from_settings", "retry_delays"]


class UnknownJobError(ValueError):
    pass


class JobHandle(Protocol):
    id: str

    def wait(self, timeout: float) -> str:
        """Block until the job ends (or ``timeout``): its final status, ``finished`` or
        ``failed`` (after every retry), else its current one."""
        ...


class JobQueue(Protocol):
    def enqueue(
        self, job: str, kwargs: Mapping[str, object] | None = None, *, once_per: str | None = None
    ) -> JobHandle | None:
        """Queue ``job``. With ``once_per``, a second enqueue with the same key (from any
        process sharing the queue) is dropped and answers None."""
        ...

    def close(self) -> None:
        """Stop taking jobs; let a running one finish."""
        ...


def retry_delays(settings: Settings) -> list[int]:
    """Seconds before each retry: base, 6x, 30x (10 s, 60 s, 300 s by default)."""
    base = settings.job_retry_delay_seconds
    steps = [base, base * 6, base * 30]
    return [steps[min(i, 2)] for i in range(settings.job_retries)]


def queue_from_settings(settings: Settings, *, services: Services) -> JobQueue:
    if settings.job_queue == "redis":
        from story_gen.sync_api.jobs.redis_queue import RedisQueue

        return RedisQueue(settings)
    from story_gen.sync_api.jobs.inprocess import InProcessQueue

    return InProcessQueue(services)
