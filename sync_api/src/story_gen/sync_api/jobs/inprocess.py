"""Jobs on a worker thread of this process (the default): nothing to deploy beside the API."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor

from story_gen.sync_api.jobs import JobHandle, retry_delays
from story_gen.sync_api.jobs.tasks import JOBS, run_job
from story_gen.sync_api.ops.logs import logger
from story_gen.sync_api.services import Services

__all__ = ["InProcessQueue"]


class _Handle:
    def __init__(self, job_id: str, future: Future[str]) -> None:
        self.id = job_id
        self._future = future

    def wait(self, timeout: float) -> str:
        try:
            return self._future.result(timeout=timeout)
        except TimeoutError:
            return "started"


class InProcessQueue:
    """One worker thread, jobs in order. A failed job is retried after
    :func:`~story_gen.sync_api.jobs.retry_delays` (closing the queue cuts the wait short)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="story-gen-job")
        self._closing = threading.Event()
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def enqueue(
        self, job: str, kwargs: Mapping[str, object] | None = None, *, once_per: str | None = None
    ) -> JobHandle | None:
        if job not in JOBS:
            from story_gen.sync_api.jobs import UnknownJobError

            raise UnknownJobError(f"unknown job {job!r}; jobs are {', '.join(sorted(JOBS))}")
        if once_per is not None:
            with self._lock:
                if once_per in self._seen:
                    return None
                if len(self._seen) >= 10_000:  # old periods' keys: bounded memory
                    self._seen.clear()
                self._seen.add(once_per)
        job_id = uuid.uuid4().hex
        return _Handle(job_id, self._pool.submit(self._run, job, dict(kwargs or {})))

    def _run(self, job: str, kwargs: dict[str, object]) -> str:
        delays = retry_delays(self.services.settings)
        for attempt in range(len(delays) + 1):
            try:
                run_job(self.services, job, kwargs)
                return "finished"
            except Exception:
                if attempt == len(delays) or self._closing.wait(delays[attempt]):
                    logger.exception("job gave up", extra={"job": job, "attempts": attempt + 1})
                    return "failed"
        return "failed"  # pragma: no cover - the loop always returns

    def close(self) -> None:
        self._closing.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
