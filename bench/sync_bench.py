"""Sync round trip on the hosted shape: uvicorn + PostgreSQL + an S3 HTTP endpoint, all local.

    python bench/sync_bench.py [--rounds N]

Each client is its own account with its own 1,000-chapter story. One round = push a
one-chapter edit (as a core patch) + pull since the client's cursor. Reported: p50/p99 of the
round trip at 1, 10 and 50 concurrent clients, and the bytes on the wire (request + response
bodies; responses as sent, gzip-compressed since the client accepts it, and the pull also
uncompressed) of a one-field edit pushed as a patch, pushed as a full document, and pulled.
The clients run in this process, on the same two cores as the server, PostgreSQL and the S3
stand-in: at 10 and 50 clients their own work (diffing and parsing 1,000-chapter stories) is
part of what the figures measure.

The server (uvicorn, 1 worker) and the S3 endpoint (moto's server, standing in for AWS S3)
run as separate processes so the clients' threads do not share their interpreter.
Needs PostgreSQL on 127.0.0.1:5432 (``make system-deps``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._hosted import hosted_env, serve_api
from bench.synthetic import synthetic_blueprint
from story_gen.core import Story, diff

CHAPTERS = 1000
LEVELS = (1, 10, 50)


@contextmanager
def services(tmp: Path) -> Iterator[str]:
    """The hosted shape (bench/_hosted.py) served by uvicorn (1 worker) in its own process."""
    with (
        hosted_env(tmp, pool_size=20) as env,
        serve_api(tmp, {**env, "STORY_GEN_AUTO_MIGRATE": "false"}) as base,
    ):
        yield base


class Device:
    """One client: an account, a 1,000-chapter story, a cursor."""

    def __init__(self, base: str, blueprint: dict[str, Any]) -> None:
        self.http = httpx.Client(base_url=base, timeout=120)
        email = f"b{uuid.uuid4().hex[:12]}@example.org"
        account = {"email": email, "password": "correct horse battery staple"}
        self.http.post("/api/v1/auth/register", json={**account, "display_name": "B"})
        token = self.http.post("/api/v1/auth/login", json=account).json()["access_token"]
        self.http.headers["Authorization"] = f"Bearer {token}"
        created = self.http.post(
            "/api/v1/stories?view=full", json={"title": "Bench", "blueprint": blueprint}
        )
        created.raise_for_status()
        self.story = _story(created.json())
        self.revision = created.json()["revision"]
        self.cursor = self.http.get("/api/v1/sync/pull?limit=1").json()["cursor"]
        self.edits = 0

    def edited(self) -> Story:
        self.edits += 1
        chapters = list(self.story.blueprint.chapters)
        index = self.edits % len(chapters)
        chapters[index] = chapters[index].model_copy(update={"objective": f"edit {self.edits}"})
        return self.story.model_copy(
            update={"blueprint": self.story.blueprint.model_copy(update={"chapters": chapters})}
        )

    def round_trip(self) -> tuple[float, int, int, int, int]:
        after = self.edited()
        change = {
            "change_id": str(uuid.uuid4()),
            "story_id": str(self.story.story_id),
            "base_revision": self.revision,
            "patch": diff(self.story, after).model_dump(mode="json"),
        }
        started = time.perf_counter()
        pushed = self.http.post("/api/v1/sync/push", json={"changes": [change]})
        pulled = self.http.get("/api/v1/sync/pull", params={"cursor": self.cursor})
        elapsed = time.perf_counter() - started
        pushed.raise_for_status()
        pulled.raise_for_status()
        page = pulled.json()
        self.cursor = page["cursor"]
        self.story = _story(page["changes"][-1]["story"])
        self.revision = page["changes"][-1]["revision"]
        return (
            elapsed,
            len(pushed.request.content),
            pushed.num_bytes_downloaded,
            pulled.num_bytes_downloaded,
            len(pulled.content),
        )

    def full_document_push_bytes(self) -> tuple[int, int]:
        after = self.edited()
        change = {
            "change_id": str(uuid.uuid4()),
            "story_id": str(self.story.story_id),
            "base_revision": self.revision,
            "blueprint": after.blueprint.model_dump(mode="json"),
        }
        pushed = self.http.post("/api/v1/sync/push", json={"changes": [change]})
        pushed.raise_for_status()
        self.revision = pushed.json()["results"][0]["revision"]
        self.story = after
        return len(pushed.request.content), pushed.num_bytes_downloaded


def _story(public: dict[str, Any]) -> Story:
    fields = ("story_id", "title", "blueprint", "created_at_utc", "updated_at_utc", "conflicts")
    return Story.model_validate({k: public[k] for k in fields})


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="round trips per level (total)")
    args = parser.parse_args()
    blueprint = synthetic_blueprint(CHAPTERS, seed=1)
    import tempfile

    results: dict[str, Any] = {"benchmark": "sync_round_trip", "chapters": CHAPTERS, "levels": {}}
    with tempfile.TemporaryDirectory() as scratch, services(Path(scratch)) as base:
        devices = [Device(base, blueprint) for _ in range(max(LEVELS))]
        wire = devices[0].round_trip()
        full = devices[0].full_document_push_bytes()
        results["bytes_per_one_field_edit"] = {
            "push_patch_request": wire[1],
            "push_patch_response": wire[2],
            "pull_response_full_story": wire[3],
            "pull_response_full_story_uncompressed": wire[4],
            "push_full_document_request": full[0],
            "push_full_document_response": full[1],
        }
        for level in LEVELS:
            per_client = max(2, args.rounds // level)
            active = devices[:level]

            def run(device: Device, rounds: int = per_client) -> list[float]:
                return [device.round_trip()[0] for _ in range(rounds)]

            started = time.perf_counter()
            with ThreadPoolExecutor(level) as pool:
                timings = [t for batch in pool.map(run, active) for t in batch]
            wall = time.perf_counter() - started
            results["levels"][str(level)] = {
                "round_trips": len(timings),
                "p50_ms": round(statistics.median(timings) * 1000, 1),
                "p99_ms": round(percentile(timings, 0.99) * 1000, 1),
                "throughput_rps": round(len(timings) / wall, 1),
            }
        for device in devices:
            device.http.close()
    results["machine"] = (
        "2 cores, 24 GiB, no GPU; uvicorn (1 worker) + PostgreSQL 15 + moto S3, all local"
    )
    print(json.dumps(results))
    print(f"\n{'clients':>8} {'round trips':>12} {'p50 ms':>9} {'p99 ms':>9} {'rt/s':>7}")
    for level, row in results["levels"].items():
        print(
            f"{level:>8} {row['round_trips']:>12} {row['p50_ms']:>9} {row['p99_ms']:>9} {row['throughput_rps']:>7}"
        )
    print("\nbytes on the wire, one-field edit of a 1,000-chapter story:")
    for name, value in results["bytes_per_one_field_edit"].items():
        print(f"  {name:<32} {value:>10,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
