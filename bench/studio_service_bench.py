"""The studio service on a 1,000-chapter story: ``story.apply_edit`` and ``story.open``.

    python bench/studio_service_bench.py [--chapters 1000] [--edits 40] [--opens 8]

Measures through the JSON facade (envelope, validation, reply serialisation included), on:

- ``cpython-memory``: CPython with the in-memory host (the service's own cost);
- ``pyodide-idb``: inside Pyodide under Node, with the real JS host (browser/js/host.mjs) over
  fake-indexeddb, each write a strict-durability IndexedDB transaction (what the studio's
  worker runs, minus a real disk). Run by relaunching this file with
  ``node bench/studio_service_pyodide.mjs``.

``apply_edit`` is a one-field edit (one chapter's objective) committed before the reply, as
the editor sends it while typing (``include_story: false``: revision, saved, diagnostics);
``apply_edit_with_story`` the same with the whole story in the reply;
``open`` is a tab opening the story for the first time: read from storage, parse, diagnose,
plan (with the edits' undo steps stored); ``open_full_history`` the same once the story has the
full 500 undo steps a story keeps (only the steps' heads are read on open). Prints one JSON line per runtime and a table. Measures only; judges nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from bench.synthetic import synthetic_blueprint  # noqa: E402
from story_gen.browser._facade import Facade  # noqa: E402
from story_gen.browser._history import HISTORY_LIMIT  # noqa: E402
from story_gen.browser._host import Host  # noqa: E402
from story_gen.browser._service import Studio  # noqa: E402
from story_gen.browser.handlers import registry  # noqa: E402


class _Tab:
    def __init__(self, host: Host) -> None:
        self.facade = Facade(Studio(host), registry)
        self.calls = 0

    async def call(self, name: str, **args: Any) -> tuple[Any, int]:
        self.calls += 1
        text = await self.facade.handle(json.dumps({"id": self.calls, "name": name, "args": args}))
        reply = json.loads(text)
        if reply.get("error"):
            raise RuntimeError(f"{name}: {reply['error']}")
        return reply["result"], len(text)


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 2),
        "min_ms": round(ordered[0], 2),
    }


async def measure(new_host: Any, *, chapters: int, edits: int, opens: int) -> dict[str, Any]:
    """``new_host()`` opens a new tab's host on one shared profile."""
    writer = _Tab(new_host())
    await writer.facade.studio.host.open()
    document = json.dumps(synthetic_blueprint(chapters, seed=7))
    imported, _ = await writer.call("story.import", content=document, title="Bench")
    if not imported["stored"]:
        raise RuntimeError(f"the synthetic blueprint did not import: {imported['diagnostics'][:3]}")
    story_id = imported["story_id"]
    keys = [c["key"] for c in imported["state"]["story"]["blueprint"]["chapters"]]
    revision = imported["state"]["revision"]

    edit_ms: list[float] = []
    full_ms: list[float] = []
    reply_bytes = full_bytes = 0
    for i in range(edits * 2):
        typing = i < edits  # first as the editor types (no story back), then with the story
        op = {
            "op": "set_field",
            "kind": "chapter",
            "key": keys[(i * 37) % len(keys)],
            "field": "objective",
            "value": f"Objective rewritten, take {i}.",
        }
        started = time.perf_counter()
        state, size = await writer.call(
            "story.apply_edit",
            story_id=story_id,
            base_revision=revision,
            op=op,
            include_story=not typing,
        )
        (edit_ms if typing else full_ms).append((time.perf_counter() - started) * 1000)
        if typing:
            reply_bytes = size
        else:
            full_bytes = size
        revision = state["revision"]

    async def open_times() -> tuple[list[float], int]:
        times: list[float] = []
        size = 0
        for _ in range(opens):
            reader = _Tab(new_host())  # a fresh tab: nothing cached
            await reader.facade.studio.host.open()
            started = time.perf_counter()
            _, size = await reader.call("story.open", story_id=story_id)
            times.append((time.perf_counter() - started) * 1000)
            reader.facade.studio.close()
        return times, size

    open_ms, open_bytes = await open_times()
    for i in range(HISTORY_LIMIT):  # a separate step each: another chapter's title each time
        op = {"op": "set_field", "kind": "chapter", "key": keys[i % len(keys)], "field": "title"}
        state, _ = await writer.call(
            "story.apply_edit",
            story_id=story_id,
            base_revision=revision,
            op={**op, "value": f"Title {i}"},
            include_story=False,
        )
        revision = state["revision"]
    full_history_ms, full_history_bytes = await open_times()
    writer.facade.studio.close()
    return {
        "chapters": chapters,
        "apply_edit": {**_ms(edit_ms), "runs": edits, "reply_bytes": reply_bytes},
        "apply_edit_with_story": {**_ms(full_ms), "runs": edits, "reply_bytes": full_bytes},
        "open": {**_ms(open_ms), "runs": opens, "reply_bytes": open_bytes},
        "open_full_history": {
            **_ms(full_history_ms),
            "runs": opens,
            "reply_bytes": full_history_bytes,
        },
    }


async def measure_in_pyodide(chapters: int, edits: int, opens: int) -> str:
    """Entry point inside Pyodide (see studio_service_pyodide.mjs): JSON of the results."""
    from story_gen.browser._js import JsHost, js_module

    profile = js_module("story_gen_bench_profile")
    result = await measure(
        lambda: JsHost(profile.tab()), chapters=chapters, edits=edits, opens=opens
    )
    return json.dumps({"runtime": "pyodide-idb", **result})


def _table(rows: list[dict[str, Any]]) -> str:
    lines = [
        f"{'runtime':15} {'operation':22} {'median ms':>10} {'p95 ms':>8} {'min ms':>8} "
        f"{'reply KB':>9}"
    ]
    for row in rows:
        for name in ("apply_edit", "apply_edit_with_story", "open", "open_full_history"):
            m = row[name]
            lines.append(
                f"{row['runtime']:15} {name:22} {m['median_ms']:>10} {m['p95_ms']:>8} "
                f"{m['min_ms']:>8} {m['reply_bytes'] / 1024:>9.0f}"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chapters", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--opens", type=int, default=8)
    parser.add_argument("--skip-pyodide", action="store_true")
    options = parser.parse_args()
    sizes = {"chapters": options.chapters, "edits": options.edits, "opens": options.opens}

    from story_gen.browser.memory_host import MemoryDatabase, MemoryHost

    database = MemoryDatabase()
    rows = [
        {
            "runtime": "cpython-memory",
            **asyncio.run(measure(lambda: MemoryHost(database), **sizes)),
        }
    ]
    print(json.dumps(rows[0]), flush=True)
    if not options.skip_pyodide:
        launcher = HERE / "studio_service_pyodide.mjs"
        args = [str(options.chapters), str(options.edits), str(options.opens)]
        done = subprocess.run(
            ["node", str(launcher), *args], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            print(done.stdout + done.stderr, file=sys.stderr)
            return done.returncode
        line = done.stdout.strip().splitlines()[-1]
        rows.append(json.loads(line))
        print(line, flush=True)
    print(_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
