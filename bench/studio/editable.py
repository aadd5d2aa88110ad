"""Time to editable: from navigation until a typed character is accepted into the story.

    python bench/studio/editable.py [--runs 3] [--chapters 1000,5000] [--web-dir build/web]

"Accepted" is the studio's ``edit-accepted`` mark: the first edit written durably to the
IndexedDB store ``pending`` (before the core is ready; the mark's ``detail.via`` is
``"pending"``) or applied by the core (after: ``"core"``). Per
story size, one browser profile holds a synthetic story (bench/synthetic.py, imported through
the UI); each run then opens it twice:

- ``cold``: the profile keeps its IndexedDB (the writer's stories) but nothing of the studio's
  code: HTTP cache cleared (CDP), service worker unregistered, Cache Storage (precache and
  the Python snapshot) deleted, browser relaunched;
- ``warm``: the same profile relaunched after the cold visit's service worker and snapshot
  are kept (the usual return visit).

A probe in the page notes when the premise field is first editable (``editable_ms``, from
navigation start) and when a key goes down in it. The harness types one letter as soon as it
sees the field editable; its own reaction time is not the studio's, so the measure is
``editable_ms + (accepted - keydown)``: a writer typing the instant the field takes text. The
raw mark (``accepted_mark_ms``, the harness's delay included) is reported beside it. Each
visit then waits for core-ready and checks the letter reached the stored story through the core.

``measure_editable`` is what bench/studio_bench.py calls; ``editable_rows`` turns its samples
into the benchmark's rows (``warm_time_to_editable_ms``, ``cold_time_to_editable_ms`` per size).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench._report import emit, summarise
from bench.run_all import machine
from bench.studio.server import BenchServer, serve

__all__ = ["FIELD", "editable_rows", "measure_editable"]

FIELD = 'textarea[data-path="premise"]'
TIMEOUT_MS = 300_000
Launch = Callable[[Playwright, Path], BrowserContext]

# Installed before the page's scripts: when the field first takes text, when a key goes down.
PROBE = (
    """
(() => {
  const seen = { editable: null, keydown: null };
  Object.defineProperty(window, "__benchEditable", { value: seen });
  const check = () => {
    if (seen.editable === null && document.querySelector('"""
    + FIELD
    + """:not([readonly]):not([disabled])')) {
      seen.editable = performance.now();
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["readonly", "disabled"],
  });
  document.addEventListener("keydown", (e) => { if (seen.keydown === null) seen.keydown = e.timeStamp; },
                            { capture: true });
})();
"""
)

READ = """() => JSON.stringify({
  editable: window.__benchEditable.editable,
  keydown: window.__benchEditable.keydown,
  accepted: performance.getEntriesByName("edit-accepted")[0]?.startTime ?? null,
  accepted_via: performance.getEntriesByName("edit-accepted")[0]?.detail?.via ?? null,
})"""

KEPT = """async () => {
  const cache = await caches.open("story-gen-pyodide-snapshot");
  return (await cache.keys()).length > 0;
}"""


def _page(context: BrowserContext) -> Page:
    return context.pages[0] if context.pages else context.new_page()


def _wait_ready(page: Page) -> None:
    page.wait_for_selector('[data-testid="boot-status"][data-state="ready"]', timeout=TIMEOUT_MS)


def _wait_kept(page: Page) -> None:
    """The service worker active and the Python snapshot kept: what a warm visit starts from."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    script = """async () => (await navigator.serviceWorker.getRegistration())?.active?.state"""
    while page.evaluate(script) != "activated" or not page.evaluate(KEPT):
        if time.monotonic() > deadline:
            raise RuntimeError("no service worker or no snapshot kept after the visit")
        time.sleep(0.2)


def _forget_code(context: BrowserContext, page: Page) -> None:
    """Everything of the studio's code the profile holds, gone; its IndexedDB stays."""
    page.evaluate(
        """async () => {
      for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();
      for (const name of await caches.keys()) await caches.delete(name);
    }"""
    )
    cdp = context.new_cdp_session(page)
    cdp.send("Network.clearBrowserCache")
    cdp.detach()


def _visit(
    playwright: Playwright, launch: Launch, profile: Path, url: str, letter: str
) -> dict[str, Any]:
    context = launch(playwright, profile)
    try:
        context.add_init_script(PROBE)
        page = _page(context)
        page.goto(url, wait_until="commit")
        field = page.locator(f"{FIELD}:not([readonly]):not([disabled])")
        field.wait_for(timeout=TIMEOUT_MS)
        field.focus()
        page.keyboard.press("Control+End")
        page.keyboard.type(letter)
        page.wait_for_function(
            "() => performance.getEntriesByName('edit-accepted').length > 0", timeout=TIMEOUT_MS
        )
        figures: dict[str, Any] = json.loads(page.evaluate(READ))
        _wait_ready(page)
        figures["core_ready"] = page.evaluate(
            "() => performance.getEntriesByName('core-ready')[0]?.startTime ?? null"
        )
        # Through the core: the stored story has the letter once it settles.
        page.wait_for_function(
            """(letter) => {
              const open = window.storyGen.open.get();
              return open?.save.state === "saved" && open.story.blueprint.premise.endsWith(letter);
            }""",
            arg=letter,
            timeout=TIMEOUT_MS,
        )
        _wait_kept(page)
        return figures
    finally:
        context.close()


def _seed(
    playwright: Playwright, launch: Launch, server: BenchServer, profile: Path, chapters: int
) -> str:
    """A profile holding a ``chapters``-chapter story; its URL (own IndexedDB database)."""
    from bench.studio_bench import import_synthetic

    base = f"{server.url}?db=bench-editable-{uuid.uuid4().hex[:8]}"
    context = launch(playwright, profile)
    try:
        page = _page(context)
        page.goto(f"{base}#/")
        _wait_ready(page)
        story_id = import_synthetic(page, chapters)
        _wait_kept(page)
    finally:
        context.close()
    return f"{base}#/story/{story_id}"


def measure_editable(
    playwright: Playwright,
    server: BenchServer,
    scratch: Path,
    launch: Launch,
    runs: int,
    sizes: list[int],
) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """Per story size: the cold and warm visits' figures (see the module doc)."""
    found: dict[int, dict[str, list[dict[str, Any]]]] = {}
    for size in sizes:
        profile = scratch / f"editable-{size}"
        print(f"time to editable: {size} chapters", file=sys.stderr)
        url = _seed(playwright, launch, server, profile, size)
        visits: dict[str, list[dict[str, Any]]] = {"cold": [], "warm": []}
        for run in range(runs):
            context = launch(playwright, profile)
            try:
                page = _page(context)
                page.goto(f"{server.url}boot-manifest.json")
                _forget_code(context, page)
            finally:
                context.close()
            visits["cold"].append(_visit(playwright, launch, profile, url, "abcdefgh"[run % 8]))
            visits["warm"].append(_visit(playwright, launch, profile, url, "stuvwxyz"[run % 8]))
        found[size] = visits
    return found


def _ms(visit: dict[str, Any]) -> float:
    return float(visit["editable"] + (visit["accepted"] - visit["keydown"]))


def editable_rows(found: dict[int, dict[str, list[dict[str, Any]]]]) -> list[dict[str, Any]]:
    """The benchmark's rows: ``{warm,cold}_time_to_editable_ms`` per size, their parts."""
    rows: list[dict[str, Any]] = []

    def row(name: str, samples: list[float]) -> None:
        if samples:
            stats = summarise(samples)
            rows.append(
                {
                    "measure": name,
                    "unit": "ms",
                    "n": stats["n"],
                    "median": round(stats["p50_ms"], 1),
                    "p95": round(stats["p95_ms"], 1),
                    "min": round(stats["min_ms"], 1),
                    "max": round(stats["max_ms"], 1),
                    "target": "< 500 ms" if name.startswith("warm_time_to_editable") else "",
                    "median_vs_target": (
                        ("met" if stats["p50_ms"] < 500 else "MISSED")
                        if name.startswith("warm_time_to_editable")
                        else ""
                    ),
                    "samples": [round(s, 1) for s in samples],
                }
            )

    for size, visits in found.items():
        for start in ("warm", "cold"):
            done = visits[start]
            row(f"{start}_time_to_editable_ms_{size}_chapters", [_ms(v) for v in done])
            row(f"{start}_field_editable_ms_{size}_chapters", [float(v["editable"]) for v in done])
            row(
                f"{start}_key_to_accepted_ms_{size}_chapters",
                [float(v["accepted"] - v["keydown"]) for v in done],
            )
            row(f"{start}_accepted_mark_ms_{size}_chapters", [float(v["accepted"]) for v in done])
            row(
                f"{start}_core_ready_ms_{size}_chapters",
                [float(v["core_ready"]) for v in done if v.get("core_ready") is not None],
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    from bench.studio_bench import SUB_PATH, launch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chapters", default="1000,5000", help="story sizes, comma-separated")
    parser.add_argument(
        "--web-dir", type=Path, default=Path(__file__).resolve().parents[2] / "build" / "web"
    )
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.chapters.split(",") if n.strip()]
    server = serve(args.web_dir, SUB_PATH, "precompressed")
    scratch = Path(tempfile.mkdtemp(prefix="studio-editable-"))
    load_before = os.getloadavg()
    started = time.monotonic()
    try:
        with sync_playwright() as playwright:
            found = measure_editable(playwright, server, scratch, launch, args.runs, sizes)
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    emit(
        "studio_editable",
        editable_rows(found),
        ["measure", "unit", "n", "median", "p95", "min", "max", "target", "median_vs_target"],
        meta={
            "machine": machine(),
            "runs": args.runs,
            "seconds": round(time.monotonic() - started, 1),
            "load_average_1_5_15": {
                "before": [round(x, 2) for x in load_before],
                "after": [round(x, 2) for x in os.getloadavg()],
            },
            "visits": {str(size): visits for size, visits in found.items()},
        },
        json_out=args.json_out,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
