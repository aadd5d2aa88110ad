"""Where one keystroke's time goes: a Chromium trace of keys typed into a big story's drafts.

    python bench/studio/keystroke_trace.py [--chapters 5000] [--keys 3] [--web-dir build/web]

Imports the synthetic story (bench/synthetic.py) in a new profile, then for each key (a letter
into an empty draft, then Backspace, as bench/studio_bench.py types them) records a trace of
the renderer (CDP ``Tracing``: the UI thread and the Pyodide worker) and prints, per key, the
time until the problem count changed and until the next frame, then every task of each thread
from the keydown to that frame: when it started, how long it ran, and what ran in it (event
dispatches, script, style, layout, paint, garbage collection), largest first. The first key
warms up and is not printed. docs/studio.md ("Where a keystroke's time went") reads these.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from playwright.sync_api import CDPSession, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.studio.server import serve
from bench.studio_bench import (
    ARM_KEYSTROKE,
    IDLE_S,
    POLL_MS,
    READY_TIMEOUT_MS,
    REPO,
    SUB_PATH,
    import_synthetic,
    launch,
    reach,
    wait_for_snapshot,
)

CATEGORIES = "devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,toplevel,v8,blink"
TASK = "ThreadControllerImpl::RunTask"
SHOWN = {
    "EventDispatch",
    "FunctionCall",
    "RunMicrotasks",
    "TimerFire",
    "FireAnimationFrame",
    "UpdateLayoutTree",
    "Layout",
    "PrePaint",
    "Paint",
    "Layerize",
    "Commit",
    "MinorGC",
    "MajorGC",
}
Event = dict[str, Any]


def traced_key(
    page: Page, cdp: CDPSession, path: str, key: str
) -> tuple[dict[str, Any], list[Event]]:
    """Press ``key`` in the field at ``path`` while tracing; the probe's times and the events."""
    events: list[Event] = []
    done: list[bool] = []

    def collected(params: dict[str, Any]) -> None:
        events.extend(params["value"])

    def completed(_: dict[str, Any]) -> None:
        done.append(True)

    cdp.on("Tracing.dataCollected", collected)
    cdp.on("Tracing.tracingComplete", completed)
    page.locator(f'textarea[data-path="{path}"]').click()
    page.evaluate(ARM_KEYSTROKE, path)
    cdp.send("Tracing.start", {"categories": CATEGORIES, "transferMode": "ReportEvents"})
    page.keyboard.press(key)
    page.wait_for_function("() => window.__benchKey.t2 !== null", timeout=30_000, polling=POLL_MS)
    page.wait_for_function(
        """() => document.querySelector('[data-testid="save-status"]')?.dataset.state === "saved" """,
        timeout=30_000,
        polling=POLL_MS,
    )
    probe: dict[str, Any] = json.loads(page.evaluate("JSON.stringify(window.__benchKey)"))
    cdp.send("Tracing.end")
    while not done:
        page.wait_for_timeout(50)
    cdp.remove_listener("Tracing.dataCollected", collected)
    cdp.remove_listener("Tracing.tracingComplete", completed)
    return probe, events


def _thread(event: Event) -> tuple[int, int]:
    return (event["pid"], event["tid"])


def tasks(probe: dict[str, Any], events: list[Event]) -> list[str]:
    """One line per task of the UI thread and the worker, from the keydown to the frame."""
    names = {
        _thread(e): e["args"]["name"]
        for e in events
        if e.get("ph") == "M" and e.get("name") == "thread_name"
    }
    label = {
        thread: "ui" if name == "CrRendererMain" else "worker"
        for thread, name in names.items()
        if name == "CrRendererMain" or name.startswith("DedicatedWorker")
    }
    keydowns = [
        e
        for e in events
        if e.get("name") == "EventDispatch"
        and e.get("args", {}).get("data", {}).get("type") in ("keydown", "keypress")
        and label.get(_thread(e)) == "ui"
    ]
    if not keydowns:
        return ["(no keydown in the trace)"]
    start = min(e["ts"] for e in keydowns)
    end = start + (probe["t2"] - probe["t0"]) * 1000
    complete = [e for e in events if e.get("ph") == "X" and _thread(e) in label]
    lines: list[str] = []
    for task in sorted(
        (
            e
            for e in complete
            if e["name"] == TASK and e["ts"] + e["dur"] >= start and e["ts"] <= end
        ),
        key=lambda e: (label[_thread(e)], e["ts"]),
    ):
        if task["dur"] < 300:
            continue
        inside: dict[str, float] = defaultdict(float)
        for e in complete:
            if (
                _thread(e) == _thread(task)
                and e is not task
                and e["name"] in SHOWN
                and task["ts"] <= e["ts"] <= task["ts"] + task["dur"]
            ):
                kind = e.get("args", {}).get("data", {}).get("type", "")
                inside[f"{e['name']}{':' + kind if kind else ''}"] += e.get("dur", 0) / 1000
        top = sorted(inside.items(), key=lambda item: -item[1])[:6]
        lines.append(
            f"  {label[_thread(task)]:6} +{(task['ts'] - start) / 1000:6.1f} ms  "
            f"{task['dur'] / 1000:6.1f} ms  " + ", ".join(f"{n} {ms:.1f}" for n, ms in top)
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--chapters", type=int, default=5000)
    parser.add_argument("--keys", type=int, default=3, help="chapters typed into (x, Backspace)")
    parser.add_argument("--web-dir", type=Path, default=REPO / "build" / "web")
    args = parser.parse_args(argv)
    server = serve(args.web_dir, SUB_PATH, "precompressed")
    scratch = Path(tempfile.mkdtemp(prefix="keystroke-trace-"))
    with sync_playwright() as playwright:
        context = launch(playwright, scratch / "profile")
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.goto(f"{server.url}?db=trace-{uuid.uuid4().hex[:8]}#/")
            page.wait_for_selector(
                '[data-testid="boot-status"][data-state="ready"]', timeout=READY_TIMEOUT_MS
            )
            wait_for_snapshot(page)  # the background snapshot maker must not share the cores
            page.get_by_role("link", name="Library").first.click()
            import_synthetic(page, args.chapters)
            time.sleep(IDLE_S)
            cdp = context.new_cdp_session(page)
            blueprint = json.loads(
                page.evaluate("JSON.stringify(window.storyGen.open.get().story.blueprint)")
            )
            empty = [i for i, c in enumerate(blueprint["chapters"]) if c["draft_text"] is None]
            for n in range(args.keys):
                index = empty[(n * 7919 + 13) % len(empty)]
                path = f"chapters[{index}].draft_text"
                reach(page, path)
                for key in ("x", "Backspace"):
                    probe, events = traced_key(page, cdp, path, key)
                    if n == 0:
                        continue  # warms up
                    print(
                        f"{args.chapters} chapters, {key!r}: count changed after "
                        f"{probe['t1'] - probe['t0']:.1f} ms, next frame {probe['t2'] - probe['t0']:.1f} ms"
                    )
                    print("\n".join(tasks(probe, events)))
                page.locator(f'details[data-path="chapters[{index}]"] summary').first.click()
        finally:
            context.close()
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
