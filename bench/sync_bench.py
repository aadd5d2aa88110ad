"""Sync on the hosted shape: uvicorn + PostgreSQL + an S3 HTTP endpoint, all local.

    python bench/sync_bench.py [--rounds N] [--levels 1,10,50] [--workers 2]

Each client is its own account with its own 1,000-chapter story. One round = push a
one-chapter edit (as a core patch) + pull since the client's cursor, naming the revision it
holds (``POST /api/v1/sync/pull``: the change comes back as patches, ADR 0113), the result
checked against the head's sha256. Reported: p50/p99 of the round trip and round trips per
second at each level of concurrent clients; the bytes on the wire (request + response bodies;
responses as sent, gzip-compressed since the client accepts it) of a one-field edit pushed as a
patch, pushed as a full document, pulled by another device as patches and pulled whole (the
v1 ``GET``); a fresh device pulling an account of 1,000 stories with the client's ``sync``;
and how long an edit on device A takes to show on device B, two ``SyncEngine`` clients of one
account, B polling every ``--poll`` seconds as the studio does while visible.
First, the CPU a round trip costs with nothing else running: the API app in this process
(no sockets), one client, the process CPU time of the push request, the pull request and the
client's own work, in milliseconds per round trip (``--cpu-only`` prints just that).
The clients run in this process, on the same two cores as the server, PostgreSQL and the S3
stand-in: at 10 and 50 clients their own work (diffing and parsing 1,000-chapter stories) is
part of what the figures measure.

The server (uvicorn, 1 worker) and the S3 endpoint (moto's server, standing in for AWS S3)
run as separate processes so the clients' threads do not share their interpreter.
Needs PostgreSQL on 127.0.0.1:5432 (``make system-deps``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._hosted import hosted_env, serve_api
from bench.synthetic import synthetic_blueprint
from story_gen.client import StoryApiClient, SyncEngine, sync
from story_gen.core import Story, StoryBlueprint, diff, load_blueprint, to_canonical_json
from story_gen.core.patch import Patch, replay

CHAPTERS = 1000
LEVELS = (1, 10, 50)
ACCOUNT_STORIES = 1000
ACCOUNT_STORY_CHAPTERS = 12
PASSWORD = "correct horse battery staple"


@contextmanager
def services(tmp: Path, workers: int) -> Iterator[str]:
    """The hosted shape (bench/_hosted.py) served by uvicorn in its own process(es)."""
    with (
        hosted_env(tmp, pool_size=20) as env,
        serve_api(
            tmp,
            # Every client is its own account, registered from this one address.
            {
                **env,
                "STORY_GEN_AUTO_MIGRATE": "false",
                "STORY_GEN_REGISTER_MAX_PER_ADDRESS": "100000",
            },
            workers=workers,
        ) as base,
    ):
        yield base


class Device:
    """One client: an account, a 1,000-chapter story, a cursor."""

    def __init__(
        self, base: str, blueprint: dict[str, Any], http: httpx.Client | TestClient | None = None
    ) -> None:
        self.http = http or httpx.Client(base_url=base, timeout=120)
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
        self.email = email
        # Process CPU seconds of each part of the round trips so far (see in_process_cpu).
        self.cpu = {"client": 0.0, "push": 0.0, "pull": 0.0}

    cursor_before: str | None = None

    def edited(self) -> Story:
        self.cursor_before = self.cursor
        self.edits += 1
        chapters = list(self.story.blueprint.chapters)
        index = self.edits % len(chapters)
        chapters[index] = chapters[index].model_copy(update={"objective": f"edit {self.edits}"})
        return self.story.model_copy(
            update={"blueprint": self.story.blueprint.model_copy(update={"chapters": chapters})}
        )

    def round_trip(self) -> tuple[float, int, int, int, int]:
        cpu = time.process_time()
        after = self.edited()
        change = {
            "change_id": str(uuid.uuid4()),
            "story_id": str(self.story.story_id),
            "base_revision": self.revision,
            "patch": diff(self.story, after).model_dump(mode="json"),
        }
        started = time.perf_counter()
        cpu = self._spent("client", cpu)
        pushed = self.http.post("/api/v1/sync/push", json={"changes": [change]})
        cpu = self._spent("push", cpu)
        held = {str(self.story.story_id): self.revision}
        pulled = self.http.post(
            "/api/v1/sync/pull", json={"cursor": self.cursor, "have": held, "limit": 50}
        )
        elapsed = time.perf_counter() - started
        cpu = self._spent("pull", cpu)
        pushed.raise_for_status()
        pulled.raise_for_status()
        page = pulled.json()
        self.cursor = page["cursor"]
        self._take(page["changes"][-1])
        self._spent("client", cpu)
        return (
            elapsed,
            len(pushed.request.content),
            pushed.num_bytes_downloaded,
            pulled.num_bytes_downloaded,
            len(pulled.content),
        )

    def _spent(self, part: str, since: float) -> float:
        now = time.process_time()
        self.cpu[part] += now - since
        return now

    def _take(self, change: dict[str, Any]) -> None:
        if change["patches"] is None:
            self.story = _story(change["story"])
        else:
            patches = [Patch.model_validate(patch) for patch in change["patches"]]
            story = replay(self.story, patches)
            digest = hashlib.sha256(to_canonical_json(story).encode("utf-8")).hexdigest()
            if digest != change["sha256"]:
                raise RuntimeError("pulled patches do not give the head's document")
            self.story = story
        self.revision = change["revision"]

    def whole_pull_bytes(self) -> tuple[int, int]:
        """The v1 GET of the last change: what a device that names no revision downloads."""
        pulled = self.http.get("/api/v1/sync/pull", params={"cursor": self.cursor_before})
        pulled.raise_for_status()
        return pulled.num_bytes_downloaded, len(pulled.content)

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


def small_story(rng: random.Random, blueprint: StoryBlueprint) -> Story:
    return Story.new(
        story_id=uuid.UUID(int=rng.getrandbits(128), version=4),
        title=f"Story {rng.getrandbits(20)}",
        blueprint=blueprint,
        now=datetime.now(UTC),
    )


class Counted(httpx.HTTPTransport):
    """Counts the bytes a client sends and receives (bodies as on the wire)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent = 0
        self.received = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent += len(request.read())
        response = super().handle_request(request)
        assert isinstance(response.stream, httpx.SyncByteStream)
        raw = b"".join(response.stream)  # as sent: still compressed
        self.received += len(raw)
        return httpx.Response(
            response.status_code, headers=response.headers, stream=httpx.ByteStream(raw)
        )


def account(base: str) -> tuple[str, StoryApiClient]:
    email = f"a{uuid.uuid4().hex[:12]}@example.org"
    api = StoryApiClient(base, timeout=300)
    api.register(email, PASSWORD, "Bench")
    api.login(email, PASSWORD)
    return email, api


def fresh_device_pull(base: str) -> dict[str, Any]:
    """An account of 1,000 stories (12 chapters each), pulled by a device that holds none."""
    _, writer = account(base)
    blueprint = load_blueprint(synthetic_blueprint(ACCOUNT_STORY_CHAPTERS, seed=2))
    engine = SyncEngine()
    rng = random.Random(3)
    for _ in range(ACCOUNT_STORIES):
        engine.edit(small_story(rng, blueprint))
    sync(writer, engine, batch=50)
    counted = Counted()
    reader = StoryApiClient(base, token=writer.token, timeout=300, transport=counted)
    fresh = SyncEngine()
    started = time.perf_counter()
    sync(reader, fresh)
    elapsed = time.perf_counter() - started
    if len(fresh.stories()) != ACCOUNT_STORIES:
        raise RuntimeError(f"the fresh device holds {len(fresh.stories())} stories")
    writer.close()
    reader.close()
    return {
        "stories": ACCOUNT_STORIES,
        "chapters_each": ACCOUNT_STORY_CHAPTERS,
        "seconds": round(elapsed, 2),
        "bytes_downloaded": counted.received,
        "bytes_uploaded": counted.sent,
    }


def edit_visible_elsewhere(base: str, samples: int, poll: float) -> dict[str, Any]:
    """Device A edits one field of a 1,000-chapter story and syncs; device B polls every
    ``poll`` seconds (push, then pull with the revisions it holds, as the studio will). The
    time from A's edit to B holding it, and the bytes B downloads for one edit."""
    _, api_a = account(base)
    counted = Counted()
    api_b = StoryApiClient(base, token=api_a.token, timeout=120, transport=counted)
    a, b = SyncEngine(), SyncEngine()
    story = Story.new(
        story_id=uuid.uuid4(),
        title="Shared",
        blueprint=load_blueprint(synthetic_blueprint(CHAPTERS, seed=4)),
        now=datetime.now(UTC),
    )
    a.edit(story)
    sync(api_a, a)
    sync(api_b, b)
    lock = threading.Lock()
    seen: dict[str, float] = {}
    pull_bytes: list[tuple[int, int]] = []
    stop = threading.Event()

    def poll_b() -> None:
        while not stop.is_set():
            with lock:
                before = (counted.sent, counted.received)
                report = sync(api_b, b)
                now = time.perf_counter()
                if report.changed:
                    pull_bytes.append((counted.sent - before[0], counted.received - before[1]))
                    for chapter in b.stories()[story.story_id].blueprint.chapters[:1]:
                        seen.setdefault(chapter.objective, now)
            stop.wait(poll)

    poller = threading.Thread(target=poll_b, daemon=True)
    poller.start()
    latencies = []
    rng = random.Random(5)
    for n in range(samples):
        time.sleep(rng.uniform(0, poll))  # edits land anywhere in B's polling cycle
        value = f"visible {n} {uuid.uuid4().hex[:6]}"
        started = time.perf_counter()
        current = a.stories()[story.story_id]
        chapters = list(current.blueprint.chapters)
        chapters[0] = chapters[0].model_copy(update={"objective": value})
        a.edit(
            current.model_copy(
                update={"blueprint": current.blueprint.model_copy(update={"chapters": chapters})}
            )
        )
        sync(api_a, a)
        while value not in seen:
            time.sleep(0.005)
        latencies.append(seen[value] - started)
    stop.set()
    poller.join()
    api_a.close()
    api_b.close()
    return {
        "samples": samples,
        "poll_seconds": poll,
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p90_ms": round(percentile(latencies, 0.9) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1),
        "b_sync_bytes_up_median": int(statistics.median(up for up, _ in pull_bytes)),
        "b_sync_bytes_down_median": int(statistics.median(down for _, down in pull_bytes)),
    }


def in_process_cpu(tmp: Path, rounds: int) -> dict[str, Any]:
    """CPU per round trip with no sockets and no other clients: the API app in this process
    (FastAPI's test client) on the hosted shape (a scratch PostgreSQL database, the S3
    endpoint), one client, ``rounds`` round trips after a few to warm up. Process CPU time
    (``time.process_time``) of the push request, the pull request and the client's own work
    (making the patch, replaying the pulled patches and checking the head's hash); what
    PostgreSQL and the S3 stand-in spend in their own processes is not in it."""
    from story_gen.sync_api import Settings, create_app

    with hosted_env(tmp / "in_process") as env:
        saved = dict(os.environ)
        os.environ.update(env)
        try:
            app = create_app(Settings())
        finally:
            os.environ.clear()
            os.environ.update(saved)
            os.environ.update({k: env[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")})
        try:
            with TestClient(app, base_url="http://bench") as http:
                device = Device("http://bench", synthetic_blueprint(CHAPTERS, seed=1), http=http)
                for _ in range(5):
                    device.round_trip()
                device.cpu = dict.fromkeys(device.cpu, 0.0)
                for _ in range(rounds):
                    device.round_trip()
        finally:
            app.state.services.db.dispose()
    per = {part: round(seconds / rounds * 1000, 2) for part, seconds in device.cpu.items()}
    return {
        "round_trips": rounds,
        "push_ms": per["push"],
        "pull_ms": per["pull"],
        "client_ms": per["client"],
        "total_ms": round(sum(per.values()), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="round trips per level (total)")
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)), help="client counts")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--samples", type=int, default=20, help="edits timed from A to B")
    parser.add_argument("--poll", type=float, default=1.0, help="device B's polling interval")
    parser.add_argument(
        "--cpu-rounds", type=int, default=100, help="round trips timed in process for CPU"
    )
    parser.add_argument(
        "--cpu-only", action="store_true", help="only the in-process CPU per round trip"
    )
    args = parser.parse_args()
    levels = [int(level) for level in args.levels.split(",")]
    blueprint = synthetic_blueprint(CHAPTERS, seed=1)
    import tempfile

    results: dict[str, Any] = {
        "benchmark": "sync_round_trip",
        "chapters": CHAPTERS,
        "uvicorn_workers": args.workers,
        "load_average_before": os.getloadavg(),
        "levels": {},
    }
    with tempfile.TemporaryDirectory() as scratch:
        results["cpu_per_round_trip"] = in_process_cpu(Path(scratch), args.cpu_rounds)
    if args.cpu_only:
        print(json.dumps(results))
        _print_cpu(results["cpu_per_round_trip"])
        return 0
    with tempfile.TemporaryDirectory() as scratch, services(Path(scratch), args.workers) as base:
        devices = [Device(base, blueprint) for _ in range(max(levels))]
        wire = devices[0].round_trip()
        whole = devices[0].whole_pull_bytes()
        full = devices[0].full_document_push_bytes()
        results["bytes_per_one_field_edit"] = {
            "push_patch_request": wire[1],
            "push_patch_response": wire[2],
            "pull_patches_response": wire[3],
            "pull_patches_response_uncompressed": wire[4],
            "pull_whole_story_response": whole[0],
            "pull_whole_story_response_uncompressed": whole[1],
            "push_full_document_request": full[0],
            "push_full_document_response": full[1],
        }
        results["fresh_device_pull"] = fresh_device_pull(base)
        results["edit_visible_on_other_device"] = edit_visible_elsewhere(
            base, args.samples, args.poll
        )
        for level in levels:
            per_client = max(2, args.rounds // level)
            active = devices[:level]
            loads_before = os.getloadavg()

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
                "load_average_before": [round(x, 2) for x in loads_before],
                "load_average_after": [round(x, 2) for x in os.getloadavg()],
            }
        for device in devices:
            device.http.close()
    results["machine"] = (
        f"2 cores, 24 GiB, no GPU; uvicorn ({args.workers} workers) + PostgreSQL 15 + moto S3, "
        "all local, shared with other work (see the load averages)"
    )
    print(json.dumps(results))
    print(f"\n{'clients':>8} {'round trips':>12} {'p50 ms':>9} {'p99 ms':>9} {'rt/s':>7}")
    for level, row in results["levels"].items():
        print(
            f"{level:>8} {row['round_trips']:>12} {row['p50_ms']:>9} {row['p99_ms']:>9} {row['throughput_rps']:>7}"
        )
    _print_cpu(results["cpu_per_round_trip"])
    print("\nbytes on the wire, one-field edit of a 1,000-chapter story:")
    for name, value in results["bytes_per_one_field_edit"].items():
        print(f"  {name:<40} {value:>10,}")
    fresh = results["fresh_device_pull"]
    print(
        f"\nfresh device pulling {fresh['stories']:,} stories: {fresh['seconds']} s, "
        f"{fresh['bytes_downloaded']:,} B down, {fresh['bytes_uploaded']:,} B up"
    )
    seen = results["edit_visible_on_other_device"]
    print(
        f"edit on A visible on B (B polls every {seen['poll_seconds']} s): p50 {seen['p50_ms']} ms,"
        f" p90 {seen['p90_ms']} ms, max {seen['max_ms']} ms; B's sync for one edit: "
        f"{seen['b_sync_bytes_up_median']:,} B up, {seen['b_sync_bytes_down_median']:,} B down"
    )
    return 0


def _print_cpu(cpu: dict[str, Any]) -> None:
    print(
        f"\nCPU per round trip in process ({cpu['round_trips']} round trips): push "
        f"{cpu['push_ms']} ms, pull {cpu['pull_ms']} ms, client {cpu['client_ms']} ms, "
        f"total {cpu['total_ms']} ms"
    )


if __name__ == "__main__":
    raise SystemExit(main())
