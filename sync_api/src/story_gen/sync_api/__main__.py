"""``story-gen-sync-api``: the deploy-time, scheduled and operator commands of a hosted sync API.

    story-gen-sync-api migrate           # alembic upgrade head (a deploy step; never per request)
    story-gen-sync-api gc                # delete unreferenced old blobs, prune bounded tables
    story-gen-sync-api run JOB           # run one job now, here (blob_gc, prune, ...)
    story-gen-sync-api run repack_revisions  # after upgrading to 0002: full blobs -> deltas
    story-gen-sync-api enqueue JOB       # queue a job on STORY_GEN_JOB_QUEUE
    story-gen-sync-api worker [--burst]  # serve the Redis job queue (STORY_GEN_JOB_QUEUE=redis)
    story-gen-sync-api anomalies         # the anomaly breadcrumbs, newest last

Settings come from the same ``STORY_GEN_*`` variables as the app (docs/settings.md). Exit
codes: 0 done, 1 the job failed, 2 bad usage or settings.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, timedelta

from pydantic import ValidationError

from story_gen.sync_api.config import Settings
from story_gen.sync_api.jobs.tasks import JOBS

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="story-gen-sync-api",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("migrate", help="apply the database migrations (alembic upgrade head)")
    commands.add_parser("gc", help="blob GC, then prune tokens, login failures and anomalies")
    run = commands.add_parser("run", help="run one job now, in this process")
    run.add_argument("job", choices=sorted(JOBS))
    run.add_argument("--dest", help="backup: where to write (default STORY_GEN_BACKUP_DEST)")
    enqueue = commands.add_parser("enqueue", help="queue one job on STORY_GEN_JOB_QUEUE")
    enqueue.add_argument("job", choices=sorted(JOBS))
    enqueue.add_argument("--dest", help="backup: where to write (default STORY_GEN_BACKUP_DEST)")
    enqueue.add_argument("--wait", type=float, default=0, help="seconds to wait for the result")
    worker = commands.add_parser("worker", help="run jobs from the Redis queue")
    worker.add_argument("--burst", action="store_true", help="stop once the queue is empty")
    anomalies = commands.add_parser("anomalies", help="list anomaly events (oldest first)")
    anomalies.add_argument("--kind", help="only this kind, e.g. server_error")
    anomalies.add_argument("--since-hours", type=float, help="only the last N hours")
    anomalies.add_argument("--limit", type=int, default=100, help="newest N (default 100)")
    anomalies.add_argument("--json", action="store_true", help="one JSON object per line")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        settings = Settings()
    except ValidationError as error:
        print(f"story-gen-sync-api: invalid settings: {error}", file=sys.stderr)
        return 2
    if args.command == "worker":
        return _worker(settings, burst=args.burst)
    from story_gen.sync_api.services_factory import services_from_settings

    services = services_from_settings(settings)
    try:
        if args.command == "migrate":
            from story_gen.sync_api.migrate import current_revision, upgrade_head

            upgrade_head(services.db.engine)
            print(json.dumps({"migrated_to": current_revision(services.db.engine)}))
            return 0
        if args.command == "anomalies":
            return _anomalies(services, args)
        kwargs = {"dest": args.dest} if getattr(args, "dest", None) else {}
        if args.command == "enqueue":
            return _enqueue(settings, services, args.job, kwargs, wait=args.wait)
        from story_gen.sync_api.jobs.tasks import run_job

        names = ["blob_gc", "prune", "prune_anomalies"] if args.command == "gc" else [args.job]
        report = {}
        for name in names:
            try:
                report[name] = run_job(services, name, kwargs if name == "backup" else None)
            except Exception as error:
                print(f"story-gen-sync-api: job {name} failed: {error}", file=sys.stderr)
                return 1
        print(json.dumps(report, default=str))
        return 0
    finally:
        services.db.dispose()


def _enqueue(
    settings: Settings, services: object, job: str, kwargs: dict[str, object], *, wait: float
) -> int:
    from story_gen.sync_api.jobs import queue_from_settings
    from story_gen.sync_api.services import Services

    assert isinstance(services, Services)
    queue = queue_from_settings(settings, services=services)
    try:
        handle = queue.enqueue(job, kwargs)
        assert handle is not None
        status = handle.wait(wait) if wait > 0 or settings.job_queue == "inprocess" else "queued"
        print(json.dumps({"job": job, "id": handle.id, "status": status}))
        return 1 if status == "failed" else 0
    finally:
        queue.close()


def _worker(settings: Settings, *, burst: bool) -> int:
    if settings.job_queue != "redis":
        print(
            "story-gen-sync-api worker serves the Redis job queue: set STORY_GEN_JOB_QUEUE=redis "
            "and STORY_GEN_REDIS_URL (the default in-process queue needs no worker)",
            file=sys.stderr,
        )
        return 2
    from story_gen.sync_api.jobs.redis_queue import run_worker

    run_worker(settings, burst=burst)
    return 0


def _anomalies(services: object, args: argparse.Namespace) -> int:
    from story_gen.sync_api.crud.anomalies import recent_anomalies
    from story_gen.sync_api.services import Services

    assert isinstance(services, Services)
    since = (
        datetime.now(UTC) - timedelta(hours=args.since_hours)
        if args.since_hours is not None
        else None
    )
    with services.db.session() as session:
        events = recent_anomalies(session=session, kind=args.kind, since=since, limit=args.limit)
    for event in events:
        row = {
            "at": event.at.isoformat(),
            "kind": event.kind,
            "request_id": event.request_id,
            "user_id": str(event.user_id) if event.user_id else None,
            "detail": json.loads(event.detail or "{}"),
        }
        if args.json:
            print(json.dumps(row, ensure_ascii=False))
        else:
            detail = " ".join(f"{k}={v}" for k, v in row["detail"].items())
            print(f"{row['at']}  {event.kind:<24} {event.request_id or '-':<32} {detail}".rstrip())
    if not events and not args.json:
        print("no anomaly events", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
