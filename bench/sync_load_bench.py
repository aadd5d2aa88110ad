"""Sync API under hostile load: crafted merges, large drafts and login bursts (issue 13).

    python bench/sync_load_bench.py [--backend sqlite|postgres] [--merge-workers N] [--json-out FILE]

The server is uvicorn (1 worker) in its own process, embedded shape (SQLite + blob folder) or
hosted shape (PostgreSQL + moto S3, ``--backend postgres``). Scenarios:

- ``crafted merge``: a stale push of a 2,100-line draft of repeated short lines whose head
  also rewrote the draft (what took 43 s under SQLite's write lock before ADR 0070/0071);
- ``prose merge``: a stale push of a 4,000-line draft (paragraphs and blank lines), the two
  sides editing different paragraphs (a clean merge);

for each: the push's time, and the latency of another user's one-field push (a write, which
needs the write lock) sent back to back while it runs: p50 / p99 / max (target p99 < 100 ms).

- ``login burst``: 40 parallel logins for one account from one address (39 wrong passwords,
  then the right one), production argon2 settings: how many passwords were checked (answers
  other than 429) and how many of them wrong (401; target: at most the limit, 5; a right
  password gives its reservation back, so one more may be checked after it).

The clients run in this process, on the same two cores as the server.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
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
from bench._report import emit

BURST = 40
PASSWORD = "correct horse battery staple"


@contextmanager
def _server(tmp: Path, backend: str, merge_workers: int) -> Iterator[str]:
    workers = {"STORY_GEN_MERGE_WORKERS": str(merge_workers)}
    if backend == "postgres":
        with hosted_env(tmp, pool_size=10) as env, serve_api(tmp, {**env, **workers}) as base:
            yield base
        return
    import os

    env = {
        **os.environ,
        "STORY_GEN_DATA_DIR": str(tmp),
        "STORY_GEN_BLOB_GC_INTERVAL_SECONDS": "0",
        "STORY_GEN_LOG_LEVEL": "WARNING",
        **workers,
    }
    with serve_api(tmp, env) as base:
        yield base


def _account(base: str) -> tuple[str, dict[str, str]]:
    email = f"l{uuid.uuid4().hex[:12]}@example.org"
    with httpx.Client(base_url=base, timeout=300) as http:
        http.post(
            "/api/v1/auth/register",
            json={"email": email, "password": PASSWORD, "display_name": "L"},
        ).raise_for_status()
        token = http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        token.raise_for_status()
    return email, {"Authorization": f"Bearer {token.json()['access_token']}"}


def _blueprint(draft: list[str]) -> dict[str, Any]:
    return {
        "premise": "A load test.",
        "chapters": [{"key": "one", "title": "One", "draft_text": "\n".join(draft)}],
    }


def _push(http: httpx.Client, change: dict[str, Any]) -> dict[str, Any]:
    response = http.post("/api/v1/sync/push", json={"changes": [change]})
    response.raise_for_status()
    result: dict[str, Any] = response.json()["results"][0]
    return result


def _change(story_id: str, base: int, **payload: Any) -> dict[str, Any]:
    return {"change_id": str(uuid.uuid4()), "story_id": story_id, "base_revision": base, **payload}


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def merge_under_load(
    base_url: str, name: str, base: list[str], ours: list[str], theirs: list[str]
) -> dict[str, Any]:
    _, writer = _account(base_url)
    _, other = _account(base_url)
    sid, other_sid = str(uuid.uuid4()), str(uuid.uuid4())
    with (
        httpx.Client(base_url=base_url, timeout=600, headers=writer) as http,
        httpx.Client(base_url=base_url, timeout=600, headers=other) as bystander,
    ):
        _push(http, _change(sid, 0, title="Load", blueprint=_blueprint(base)))
        _push(http, _change(sid, 1, blueprint=_blueprint(ours)))
        _push(bystander, _change(other_sid, 0, title="Other", blueprint=_blueprint(["calm"])))
        revision = 1
        latencies: list[float] = []
        done = threading.Event()

        def bystand() -> None:
            nonlocal revision
            while not done.is_set():
                patch = {
                    "ops": [
                        {
                            "op": "set",
                            "path": "blueprint.premise",
                            "old": f"p{revision - 1}" if revision > 1 else "A load test.",
                            "new": f"p{revision}",
                        }
                    ]
                }
                started = time.perf_counter()
                result = _push(bystander, _change(other_sid, revision, patch=patch))
                latencies.append((time.perf_counter() - started) * 1000)
                revision = int(result.get("revision") or revision)

        thread = threading.Thread(target=bystand)
        thread.start()
        time.sleep(0.3)  # the bystander's rhythm before the merge starts
        started = time.perf_counter()
        result = _push(http, _change(sid, 1, blueprint=_blueprint(theirs)))
        push_ms = (time.perf_counter() - started) * 1000
        time.sleep(0.3)
        done.set()
        thread.join()
    return {
        "scenario": name,
        "draft_lines": len(theirs),
        "status": result["status"],
        "conflicts": len(result.get("conflicts") or []),
        "push_ms": round(push_ms, 1),
        "other_n": len(latencies),
        "other_p50_ms": round(_percentile(latencies, 0.5), 1),
        "other_p99_ms": round(_percentile(latencies, 0.99), 1),
        "other_max_ms": round(max(latencies), 1),
    }


def login_burst(base_url: str) -> dict[str, Any]:
    email, _ = _account(base_url)
    passwords = [f"wrong {i}" for i in range(BURST - 1)] + [PASSWORD]
    barrier = threading.Barrier(BURST)

    def attempt(password: str) -> int:
        with httpx.Client(base_url=base_url, timeout=600) as http:
            barrier.wait()
            response = http.post("/api/v1/auth/login", json={"email": email, "password": password})
            return response.status_code

    started = time.perf_counter()
    with ThreadPoolExecutor(BURST) as pool:
        statuses = list(pool.map(attempt, passwords))
    return {
        "scenario": "login burst",
        "requests": BURST,
        "passwords_checked": sum(status != 429 for status in statuses),
        "wrong_checked": statuses.count(401),
        "limit": 5,
        "signed_in": statuses.count(200),
        "burst_ms": round((time.perf_counter() - started) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--merge-workers",
        type=int,
        default=0,
        help="STORY_GEN_MERGE_WORKERS of the server (ADR 0084; 0: merges in the request thread)",
    )
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args()
    crafted_base = ["x", "", "y"] * 700
    crafted_ours = ["x", "", "z"] * 700
    crafted_theirs = ["w", "", "y"] * 700
    prose = [f"Paragraph {i} says something of its own." if i % 2 == 0 else "" for i in range(4000)]
    prose_ours = [*prose[:100], "An insertion near the start.", *prose[100:]]
    prose_theirs = [*prose[:3000], "An insertion near the end.", *prose[3000:]]
    with (
        tempfile.TemporaryDirectory() as folder,
        _server(Path(folder), args.backend, args.merge_workers) as base,
    ):
        rows = [
            merge_under_load(base, "crafted merge", crafted_base, crafted_ours, crafted_theirs),
            merge_under_load(base, "prose merge", prose, prose_ours, prose_theirs),
            login_burst(base),
        ]
    emit(
        "sync_load",
        rows,
        [
            "scenario",
            "status",
            "conflicts",
            "push_ms",
            "other_n",
            "other_p50_ms",
            "other_p99_ms",
            "other_max_ms",
            "passwords_checked",
            "wrong_checked",
            "limit",
        ],
        meta={
            "backend": args.backend,
            "merge_workers": args.merge_workers,
            "machine": "2 cores shared; uvicorn (1 worker)",
        },
        json_out=args.json_out,
    )


if __name__ == "__main__":
    main()
