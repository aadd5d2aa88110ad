"""Revision storage (issue 13 item 10, ADR 0081): bytes added by one-field edits, and the time to
read any revision back from storage.

    python bench/sync_storage_bench.py [--backend sqlite|postgres|both] [--chapters 1000]
                                       [--edits 1000] [--reads 100] [--json-out F]

Per backend (SQLite + blob folder; PostgreSQL + moto's S3 server in its own process, see
``_hosted.py``), through the sync API's one write path (``documents.write_story``, in this
process, no HTTP): create a story of ``--chapters`` synthetic chapters, then make ``--edits``
one-field edits (a chapter's objective, a different chapter each time), each a new revision.

Reported:

- ``blob_bytes``: bytes the object store gained (snapshot blobs), ``row_bytes``: bytes of the
  deltas kept in revision rows, ``stored_bytes``: both (target: under 5 MB for 1,000 edits of
  1,000 chapters); ``whole_bytes``: what storing every revision whole (the pre-0002 layout:
  canonical JSON per revision) would have added.
- ``read_*``: milliseconds to read one revision, chosen at random over the whole history,
  with an empty document cache each time (a query for its chain, one object read, decompress,
  parse, replay, hash check): the cold worst case (target: under 50 ms). ``frozen_*``: the
  same reads after ``gc.freeze()``, so the cyclic GC's full passes over the heap the writes
  left (a full document cache) are not in the figure.
- ``write_*``: milliseconds per edit (the write path end to end, proposal to commit).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from sqlalchemy import func, select

from bench._hosted import hosted_env
from bench._report import emit, summarise
from bench.synthetic import synthetic_blueprint
from story_gen.core import Story
from story_gen.sync_api.blobs import KEY_PREFIX
from story_gen.sync_api.config import Settings
from story_gen.sync_api.document_cache import DocumentCache
from story_gen.sync_api.documents import Current, Proposal, revision_document, write_story
from story_gen.sync_api.migrate import upgrade_head
from story_gen.sync_api.models import Revision, User
from story_gen.sync_api.services import Services
from story_gen.sync_api.services_factory import services_from_settings


@contextmanager
def backend_services(backend: str, tmp: Path) -> Iterator[Services]:
    if backend == "sqlite":
        settings = Settings(data_dir=tmp, log_level="WARNING", blob_gc_interval_seconds=0)
        # The document cache of an API process (a job's services have none).
        services = services_from_settings(settings, documents_bytes=settings.document_cache_bytes)
        upgrade_head(services.db.engine)
        try:
            yield services
        finally:
            services.db.dispose()
        return
    with hosted_env(tmp) as env:
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            os.environ[name] = env[name]
        settings = Settings(
            data_dir=tmp,
            log_level="WARNING",
            blob_gc_interval_seconds=0,
            database_url=env["STORY_GEN_DATABASE_URL"],
            blob_store="s3",
            s3_bucket=env["STORY_GEN_S3_BUCKET"],
            s3_endpoint_url=env["STORY_GEN_S3_ENDPOINT_URL"],
        )
        # The document cache of an API process (a job's services have none).
        services = services_from_settings(settings, documents_bytes=settings.document_cache_bytes)
        try:
            yield services
        finally:
            services.db.dispose()


def blob_bytes(services: Services) -> int:
    """Bytes of every revision blob in the store."""
    total = 0
    far_future = datetime.now(UTC) + timedelta(days=1)
    for key in services.blobs.keys_older_than(far_future):
        if key.startswith(KEY_PREFIX):
            total += len(services.blobs.get(key))
    return total


def run(backend: str, chapters: int, edits: int, reads: int) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory(prefix="story-gen-storage-") as scratch,
        backend_services(backend, Path(scratch)) as services,
    ):
        return measure(services, backend, chapters, edits, reads)


def measure(
    services: Services, backend: str, chapters: int, edits: int, reads: int
) -> dict[str, Any]:
    owner, story_id = uuid.uuid4(), uuid.uuid4()
    start = datetime.now(UTC).replace(microsecond=0)
    with services.db.transaction() as session:
        session.add(
            User(
                id=owner,
                email=f"{owner.hex[:12]}@example.org",
                display_name="Bench",
                password_hash="-",
                created_at=start,
                change_seq=0,
            )
        )
    first = Story.model_validate(
        {
            "story_id": story_id,
            "title": "Bench",
            "blueprint": synthetic_blueprint(chapters),
            "created_at_utc": start,
            "updated_at_utc": start,
        }
    )
    write_story(
        services,
        owner_id=owner,
        story_id=story_id,
        propose=lambda _s, _c: Proposal(story=first, origin="create"),
    )
    blobs_before = blob_bytes(services)
    write_ms: list[float] = []
    for number in range(edits):

        def propose(_session: object, current: Current | None, number: int = number) -> Proposal:
            assert current is not None
            story = current.story
            index = (number * 37) % len(story.blueprint.chapters)
            listed = list(story.blueprint.chapters)
            listed[index] = listed[index].model_copy(update={"objective": f"Edit {number}."})
            blueprint = story.blueprint.model_copy(update={"chapters": listed})
            edited = story.model_copy(
                update={
                    "blueprint": blueprint,
                    "updated_at_utc": start + timedelta(seconds=number + 1),
                }
            )
            return Proposal(story=Story.model_validate(edited.model_dump()), origin="update")

        began = time.perf_counter()
        write_story(services, owner_id=owner, story_id=story_id, propose=propose)
        write_ms.append((time.perf_counter() - began) * 1000)
    added_blobs = blob_bytes(services) - blobs_before
    with services.db.session() as session:
        edited_rows = (Revision.story_id == story_id) & (Revision.revision > 1)
        row_bytes = int(
            session.scalar(
                select(func.coalesce(func.sum(func.length(Revision.delta)), 0)).where(edited_rows)
            )
            or 0
        )
        whole = int(session.scalar(select(func.sum(Revision.byte_size)).where(edited_rows)) or 0)
        snapshots = int(
            session.scalar(
                select(func.count()).where(edited_rows, Revision.stored_key.is_not(None))
            )
            or 0
        )
    picks = random.Random(2026).sample(range(1, edits + 2), min(reads, edits + 1))
    reading = summarise(read_times(services, story_id, picks))
    # The same reads with the heap the writes left (the process's document cache is full of
    # 1,000-chapter stories) frozen out of the cyclic GC: what is left is the read itself.
    gc.collect()
    gc.freeze()
    frozen = summarise(read_times(services, story_id, picks))
    gc.unfreeze()
    writing = summarise(write_ms)
    return {
        "backend": backend,
        "chapters": chapters,
        "edits": edits,
        "snapshots": snapshots,
        "blob_bytes": added_blobs,
        "row_bytes": row_bytes,
        "stored_bytes": added_blobs + row_bytes,
        "whole_bytes": whole,
        "read_n": reading["n"],
        "read_p50_ms": reading["p50_ms"],
        "read_p95_ms": reading["p95_ms"],
        "read_max_ms": reading["max_ms"],
        "frozen_p50_ms": frozen["p50_ms"],
        "frozen_p95_ms": frozen["p95_ms"],
        "frozen_max_ms": frozen["max_ms"],
        "write_p50_ms": writing["p50_ms"],
        "write_p95_ms": writing["p95_ms"],
    }


def read_times(services: Services, story_id: uuid.UUID, revisions: list[int]) -> list[float]:
    """Milliseconds to read each revision with an empty document cache."""
    samples = []
    for revision in revisions:
        cold = replace(services, documents=DocumentCache(max_bytes=256 * 1024 * 1024))
        began = time.perf_counter()
        with services.db.reading() as session:
            revision_document(cold, session, story_id=story_id, revision=revision)
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--chapters", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--reads", type=int, default=100)
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    rows = [run(backend, args.chapters, args.edits, args.reads) for backend in backends]
    emit(
        "sync_storage",
        rows,
        [
            "backend",
            "edits",
            "snapshots",
            "stored_bytes",
            "blob_bytes",
            "row_bytes",
            "whole_bytes",
            "read_p50_ms",
            "read_p95_ms",
            "read_max_ms",
            "frozen_p50_ms",
            "frozen_p95_ms",
            "frozen_max_ms",
            "write_p50_ms",
        ],
        meta={"snapshot_every": Settings().revision_snapshot_every},
        json_out=args.json_out,
    )


if __name__ == "__main__":
    main()
