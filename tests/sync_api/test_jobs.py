"""Background jobs: the in-process queue (the default) and the Redis queue (RQ) served by
`story-gen-sync-api worker`, against the machine's real Redis; retries; the schedule."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from rq.job import Job

from story_gen.sync_api import Settings, create_app
from story_gen.sync_api.blobs import BlobNotFoundError, content_key
from story_gen.sync_api.clock import FakeClock
from story_gen.sync_api.jobs import JobHandle, UnknownJobError, queue_from_settings, retry_delays
from story_gen.sync_api.jobs.inprocess import InProcessQueue
from story_gen.sync_api.jobs.redis_queue import RedisQueue
from story_gen.sync_api.jobs.schedule import due_jobs, schedule_loop
from story_gen.sync_api.migrate import upgrade_head

from .conftest import settings_env


def orphan_blob(settings: Settings) -> tuple[Any, str]:
    """A migrated deployment holding one blob no revision references, older than the GC grace
    (a folder store's file, dated back: the grace cannot be set below the longest push)."""
    app = create_app(settings)
    services = app.state.services
    upgrade_head(services.db.engine)
    data = f'{{"orphan": "{uuid.uuid4()}"}}'.encode()
    key = content_key(data)
    services.blobs.put(key, data)
    old = time.time() - settings.blob_gc_grace_seconds - 3600
    os.utime(settings.resolved_blob_dir / key, (old, old))
    return services, key


def gone(services: Any, key: str) -> bool:
    try:
        services.blobs.get(key)
    except BlobNotFoundError:
        return True
    return False


def worker(settings: Settings) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "story_gen.sync_api", "worker", "--burst"],
        env=settings_env(settings),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_in_process_queue_runs_jobs_and_retries_failures(
    settings_for: Any, tmp_path: Path
) -> None:
    settings = settings_for("sqlite", job_retries=2, job_retry_delay_seconds=0)
    services, key = orphan_blob(settings)
    queue = queue_from_settings(settings, services=services)
    assert isinstance(queue, InProcessQueue)
    handle = queue.enqueue("blob_gc")
    assert handle is not None
    assert handle.wait(60) == "finished"
    assert gone(services, key)

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backup folder should be")
    failing = queue.enqueue("backup", {"dest": str(blocked / "x")})
    assert failing is not None
    assert failing.wait(60) == "failed"  # after 1 + 2 attempts
    assert queue.enqueue("prune", once_per="prune:1") is not None
    assert queue.enqueue("prune", once_per="prune:1") is None  # that period's job is queued
    with pytest.raises(UnknownJobError, match="blob_gc"):
        queue.enqueue("rm -rf")
    queue.close()
    services.db.dispose()


def test_retry_delays_grow() -> None:
    assert retry_delays(Settings(job_retries=4, job_retry_delay_seconds=10)) == [10, 60, 300, 300]
    assert retry_delays(Settings(job_retries=0)) == []


def test_the_redis_queue_runs_jobs_in_the_worker_command(
    settings_for: Any, redis_url: str, redis_queue_name: str
) -> None:
    settings = settings_for(
        "postgres",
        blob_store="folder",
        job_queue="redis",
        redis_url=redis_url,
        job_queue_name=redis_queue_name,
    )
    services, key = orphan_blob(settings)
    queue = RedisQueue(settings)
    handle = queue.enqueue("blob_gc")
    assert handle is not None
    assert not gone(services, key)  # queued, not run
    done = worker(settings)
    assert done.returncode == 0, done.stderr
    assert handle.wait(10) == "finished"
    assert gone(services, key)
    job = Job.fetch(handle.id, connection=queue.connection)
    assert job.return_value() == {"examined": 1, "deleted": 1}
    queue.close()
    services.db.dispose()


def test_a_failing_redis_job_is_retried_then_given_up(
    settings_for: Any, redis_url: str, redis_queue_name: str, tmp_path: Path
) -> None:
    settings = settings_for(
        "sqlite",
        job_queue="redis",
        redis_url=redis_url,
        job_queue_name=redis_queue_name,
        job_retries=2,
        job_retry_delay_seconds=0,
    )
    services, _ = orphan_blob(settings)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backup folder should be")
    queue = RedisQueue(settings)
    handle = queue.enqueue("backup", {"dest": str(blocked / "x")})
    assert handle is not None
    done = worker(settings)
    assert done.returncode == 0, done.stderr
    job = Job.fetch(handle.id, connection=queue.connection)
    assert handle.wait(10) == "failed"
    assert job.retries_left == 0  # both retries used
    assert "not-a-folder" in (job.latest_result().exc_string or "")  # type: ignore[union-attr]
    assert queue.enqueue("prune", once_per="prune:7") is not None
    assert RedisQueue(settings).enqueue("prune", once_per="prune:7") is None  # another process
    queue.close()
    services.db.dispose()


def test_the_worker_command_explains_the_in_process_queue(
    settings_for: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    from story_gen.sync_api.__main__ import main

    for name, value in settings_env(settings_for("sqlite")).items():
        monkeypatch.setenv(name, value)
    assert main(["worker"]) == 2
    assert "STORY_GEN_JOB_QUEUE=redis" in capsys.readouterr().err


class RecordingQueue:
    """The queue interface, recording what the schedule enqueues."""

    def __init__(self) -> None:
        self.enqueued: list[tuple[str, str | None]] = []

    def enqueue(
        self, job: str, kwargs: Mapping[str, object] | None = None, *, once_per: str | None = None
    ) -> JobHandle | None:
        self.enqueued.append((job, once_per))
        return None

    def close(self) -> None:
        pass


def test_the_schedule_enqueues_each_period_once() -> None:
    settings = Settings(blob_gc_interval_seconds=1, backup_interval_seconds=2, backup_dest="/b")
    assert due_jobs(settings) == [
        ("blob_gc", 1),
        ("prune", 1),
        ("prune_anomalies", 1),
        ("backup", 2),
    ]
    assert due_jobs(Settings(blob_gc_interval_seconds=0, backup_interval_seconds=60)) == []
    clock = FakeClock()
    queue = RecordingQueue()

    async def run() -> None:
        task = asyncio.create_task(schedule_loop(queue, settings, clock))
        await asyncio.sleep(0)  # the loop starts and notes the current periods
        clock.advance(2.0)  # two periods of the 1 s jobs, one of the backup
        await asyncio.sleep(1.3)
        task.cancel()

    asyncio.run(run())
    jobs = [job for job, _ in queue.enqueued]
    assert sorted(jobs) == ["backup", "blob_gc", "prune", "prune_anomalies"]
    assert all(once_per and once_per.startswith(job + ":") for job, once_per in queue.enqueued)


def main_here(
    settings: Settings, argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> str:
    """``story-gen-sync-api ARGV`` in this process, with ``settings`` as its environment."""
    import os

    from story_gen.sync_api.__main__ import main

    for name in [n for n in os.environ if n.startswith("STORY_GEN_")]:
        monkeypatch.delenv(name)
    for name, value in settings_env(settings).items():
        monkeypatch.setenv(name, value)
    capsys.readouterr()
    assert main(argv) == 0
    out: str = capsys.readouterr().out
    return out


def test_the_anomalies_command_lists_the_breadcrumbs(
    settings_for: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    settings = settings_for("sqlite")
    app = create_app(settings, clock=FakeClock())
    services = app.state.services
    upgrade_head(services.db.engine)
    services.record_anomaly("push_rejected", "req-00000001", {"code": "blueprint_invalid"})
    services.record_anomaly("server_error", "req-00000002", {"path": "/x"})
    services.db.dispose()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "story_gen.sync_api",
            "anomalies",
            "--json",
            "--kind",
            "server_error",
        ],
        env=settings_env(settings),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    [line] = done.stdout.splitlines()
    event = json.loads(line)
    assert (event["kind"], event["request_id"], event["detail"]) == (
        "server_error",
        "req-00000002",
        {"path": "/x"},
    )
    table = main_here(settings, ["anomalies"], monkeypatch, capsys)
    assert table.index("push_rejected") < table.index("server_error")  # oldest first
    assert "code=blueprint_invalid" in table


def test_the_metrics_export_every_job_from_the_start() -> None:
    from story_gen.sync_api.jobs.tasks import JOBS
    from story_gen.sync_api.ops.metrics import KNOWN_JOBS

    assert sorted(KNOWN_JOBS) == sorted(JOBS)
