"""Studio benchmark: the built studio in headless Chromium, beside the bare Pyodide baseline.

    python bench/studio_bench.py [--runs 5] [--keystrokes 12] [--chapters 1000,5000]
                                 [--opens 5]
                                 [--encoding precompressed|gzip-on-the-fly|pages|identity]
                                 [--web-dir build/web] [--json-out F]

Everything is served by bench/studio/server.py (build/web/ under ``/story-gen/``, compressed:
the build's precompressed ``.br``/``.gz`` siblings, else gzip on the fly; GitHub Pages' cache
headers) and driven through Playwright in Debian's Chromium with the team's flags. Every visit
is a real browser profile (a persistent context on a user-data dir): "cold" is a new profile
(empty HTTP cache, no service worker), "warm" is the same profile relaunched (second visit:
service worker precache, HTTP cache, compiled-code caches).

Measures (each repeated ``--runs`` times, studio and baseline interleaved; median and p95):

- ``first_paint``: first-contentful-paint (``performance`` paint entry) of the studio, and
  ``library_painted``: the frame after the library's content (its rows, or "No stories yet"
  on a first visit) is in the DOM, read from IndexedDB without Python; on a return visit the
  last story, shown read-only the same way (``warm_story_painted``); also the studio's own
  ``library-painted`` mark.
- ``core_ready``: navigation start -> the ``core-ready`` mark (the service's ``start()``
  answered: Python, pydantic, our wheels, IndexedDB open), cold and warm; the baseline page
  (web/bench/baseline.html: Pyodide + the same runtime wheels + ``import pydantic``, in a
  worker, no UI) marks ``core-ready`` the same way. ``cold_overhead`` = studio cold /
  baseline cold, per run (interleaved pairs).
- ``snapshot`` (docs/adr/0027-pyodide-snapshot-with-extensions.md): which path each warm
  visit's runtime stage took (``restored`` expected), the restore's steps, each from the end of
  the previous one (find the Cache Storage entry; libraries: its header and the startup library
  read; module: the wasm module compiled and instantiated with it; verified: the rest read and its
  checksum; heap: copied in, Python's bootstrap; files: site-packages written back; reseed; check:
  a pydantic_core round trip) and their sum; the snapshot's size raw, as stored and as gzip
  (CompressionStream) would store it, and how long the maker (a worker of its own, after the
  cold visit's core-ready) took; ``snapshot_kept_after_core_ready``: from the cold visit's
  core-ready until the snapshot is kept (includes the maker's start delay).
- per story size in ``--chapters`` (bench/synthetic.py, imported through the UI in a new
  profile once the first start's background snapshot is made), in this order:
  ``memory``: the page's JS heap and the Pyodide worker's JS heap (CDP ``Runtime.getHeapUsage``
  after a forced GC), and the worker's wasm memory (Pyodide's linear memory, which holds every
  Python object); the baseline page's are measured the same way after ``import pydantic``.
  ``open_story``: ``--opens`` times, a new tab (a warm start: the snapshot restored) on the
  library, then ``story.open`` of the big story timed from the UI thread (IndexedDB read, the
  stored digest checked, diagnosis, plan, the reply parsed); nothing of it was open in that tab.
  Then the keystrokes below.
- ``bytes``: bytes on the wire, from CDP ``Network.loadingFinished.encodedDataLength`` of the
  page, its Pyodide worker and its service worker (tests/e2e/traffic.py), excluding memory/disk
  cache and service-worker answers; cross-checked with the bytes the server wrote. First visit
  until core-ready, and the whole first visit including the service worker's precache; second
  visit (relaunched browser) until idle.
- ``keystroke_to_diagnostics`` on each ``--chapters`` synthetic story: one key typed into an empty chapter draft, which removes that
  chapter's "no draft yet" note, until the problems panel's count changes (MutationObserver),
  and until the next frame. Two ways: ``typed`` (the key alone: the editor's typing pause
  applies before the edit is sent) and ``committed`` (the key, then Tab, which commits at once;
  the time is still from the key). Adding and removing the note alternate. Also the service
  round trip of the same edit (``story.apply_edit``, no UI) and a full ``story.diagnose``.

Targets (issue 12; bytes from issue 5): first paint < 300 ms; cold core-ready <= 1.1 x
baseline; warm core-ready < 1 s; keystroke -> problems panel painted < 25 ms median and < 40 ms
p95 at 1,000 chapters, < 50 ms p95 at 5,000; opening a 1,000-chapter story < 25 ms p95 (the core's
part, bench/core_bench.py ``open:stored`` in Pyodide; the service round trip here adds storage
and the reply); first visit < 8 MB, second visit < 50 KB. Rows are named ``<measure>`` and, per
story size, ``<measure>_<n>_chapters``. The benchmark reports against the targets; it does not
fail on them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import (
    BrowserContext,
    CDPSession,
    FilePayload,
    Page,
    Playwright,
    sync_playwright,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._report import emit, summarise
from bench.run_all import machine
from bench.studio.server import MODES, BenchServer, serve
from bench.synthetic import synthetic_blueprint
from tests.e2e.studio import CHROMIUM_ARGS
from tests.e2e.traffic import TrafficRecorder

REPO = Path(__file__).resolve().parents[1]
# Every wait_for_function predicate is a function, never a bare expression: Playwright evaluates
# an expression with eval() in the page, which the studio's Content-Security-Policy refuses.
SUB_PATH = "/story-gen/"
READY_TIMEOUT_MS = 180_000
IDLE_S = 3.0
# Waiting for a probe's result: a timer, not every frame (polling each frame would run script
# and force a frame on the very thread being measured). The probes take their own timestamps.
POLL_MS = 25  # quiet time after a visit, so late requests (update checks) are counted
MB = 1_000_000

# Installed in every page: when the library (or a story) first reaches the DOM, and the frame
# after it (when it is painted).
FIRST_PAINT_PROBE = """
(() => {
  const seen = {};
  Object.defineProperty(window, "__benchPaint", { value: seen });
  const watch = (name, selector) => {
    const check = () => {
      if (seen[name] === undefined && document.querySelector(selector)) {
        seen[name] = { dom: performance.now() };
        requestAnimationFrame(() => { seen[name].frame = performance.now(); });
      }
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true });
  };
  // The library's content, read from IndexedDB: its rows, or "No stories yet" on a first visit
  // (not the empty list frame drawn before the read).
  watch("library", '[data-testid="story-row"], [data-testid="library-empty"]');
  watch("story", '[data-testid="story-screen"]');
})();
"""

READ_MARKS = """() => {
  const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
  const fcp = performance.getEntriesByType("paint").find((e) => e.name === "first-contentful-paint");
  const painted = window.__benchPaint ?? {};
  return JSON.stringify({
    fcp: fcp ? fcp.startTime : null,
    library_painted_mark: mark("library-painted"),
    library_frame: painted.library?.frame ?? null,
    story_frame: painted.story?.frame ?? null,
    core_ready: mark("core-ready"),
    stages: window.storyGen?.boot.get().result?.stageMs ?? null,
    snapshot: window.storyGen?.boot.get().result?.snapshot ?? null,
  });
}"""

SNAPSHOT_CACHE = "story-gen-pyodide-snapshot"
# The kept snapshot's size and making time, from the headers it was stored with
# (web/src/worker/snapshot-store.ts), or null while none is kept.
KEPT_SNAPSHOT = f"""async () => {{
  const cache = await caches.open({SNAPSHOT_CACHE!r});
  for (const request of await cache.keys()) {{
    if (!request.url.endsWith(".bin")) continue;
    const foundAt = performance.now();
    const response = await cache.match(request);
    const headers = response.headers;
    // What gzip (CompressionStream, as the studio could store it) would make of it.
    const gzip = await new Response(response.body.pipeThrough(new CompressionStream("gzip"))).blob();
    return JSON.stringify({{
      kept_after_core_ready_ms: foundAt - performance.getEntriesByName("core-ready")[0].startTime,
      gzip_bytes: gzip.size,
      raw_bytes: Number(headers.get("x-story-gen-raw-bytes")),
      stored_bytes: Number(headers.get("x-story-gen-stored-bytes")),
      encoding: headers.get("x-story-gen-encoding"),
      make_ms: Number(headers.get("x-story-gen-make-ms")),
    }});
  }}
  return null;
}}"""
SNAPSHOT_TIMEOUT_S = 300.0


@dataclass
class Traffic:
    cdp_bytes: int
    server_bytes: int
    requests: int
    encodings: dict[str, int] = field(default_factory=dict)
    by_target: dict[str, int] = field(default_factory=dict)
    targets: list[str] = field(default_factory=list)


def launch(playwright: Playwright, profile: Path) -> BrowserContext:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        raise SystemExit("Debian's chromium is not installed: run `make system-deps`")
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=executable,
        args=CHROMIUM_ARGS,
        headless=True,
        viewport={"width": 1280, "height": 800},
    )
    context.add_init_script(FIRST_PAINT_PROBE)
    return context


def traffic(recorder: TrafficRecorder, server: BenchServer) -> Traffic:
    sent, served = server.counter.snapshot()
    encodings: dict[str, int] = {}
    for item in served:
        encodings[item.encoding] = encodings.get(item.encoding, 0) + 1
    by_target: dict[str, int] = {}
    for exchange in recorder.exchanges.values():
        by_target[exchange.target] = by_target.get(exchange.target, 0) + exchange.network_bytes
    targets = [kind for kind, _ in recorder.targets]
    return Traffic(recorder.network_bytes(), sent, len(served), encodings, by_target, targets)


def wait_for_mark(page: Page, name: str) -> None:
    page.wait_for_function(
        f"() => performance.getEntriesByName({name!r}).length > 0", timeout=READY_TIMEOUT_MS
    )


def wait_for_service_worker(page: Page, timeout_s: float = 180.0) -> None:
    deadline = time.monotonic() + timeout_s
    script = """async () => (await navigator.serviceWorker.getRegistration())?.active?.state"""
    while page.evaluate(script) != "activated":
        if time.monotonic() > deadline:
            raise RuntimeError("the service worker never activated")
        time.sleep(0.25)


def wait_for_snapshot(page: Page) -> dict[str, Any]:
    """Wait until the snapshot the first visit makes in the background is kept; its figures,
    with ``kept_after_core_ready_ms`` (from core-ready to kept, polled every 100 ms)."""
    deadline = time.monotonic() + SNAPSHOT_TIMEOUT_S
    while (kept := page.evaluate(KEPT_SNAPSHOT)) is None:
        if time.monotonic() > deadline:
            raise RuntimeError(f"no snapshot kept {SNAPSHOT_TIMEOUT_S} s after core-ready")
        time.sleep(0.1)
    figures: dict[str, Any] = json.loads(kept)
    return figures


def marks(page: Page) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(page.evaluate(READ_MARKS))
    return loaded


def visit(context: BrowserContext, url: str, server: BenchServer, *, first: bool) -> dict[str, Any]:
    """One visit: open ``url`` in the profile's tab, wait for core-ready, then until idle."""
    page = context.pages[0] if context.pages else context.new_page()
    recorder = TrafficRecorder(context, page).start()
    server.counter.reset()
    page.goto(url, wait_until="commit")
    wait_for_mark(page, "core-ready")
    result = marks(page)
    until_ready = traffic(recorder, server)
    kept: dict[str, Any] | None = None
    if first:
        wait_for_service_worker(page)
        kept = wait_for_snapshot(page)
    time.sleep(IDLE_S)
    total = traffic(recorder, server)
    recorder.stop()
    _, served = server.counter.snapshot()
    largest = sorted(served, key=lambda item: item.bytes_sent, reverse=True)[:12]
    return {
        **result,
        "bytes_until_ready_cdp": until_ready.cdp_bytes,
        "bytes_until_ready_server": until_ready.server_bytes,
        "bytes_total_cdp": total.cdp_bytes,
        "bytes_total_server": total.server_bytes,
        "requests_to_server": total.requests,
        "encodings": total.encodings,
        # Where the bytes went: the largest responses (path, encoding, bytes written).
        "largest_responses": [[item.path, item.encoding, item.bytes_sent] for item in largest],
        "bytes_by_target_cdp": total.by_target,
        "targets_seen": total.targets,
        "kept_snapshot": kept,
    }


def baseline_visit(
    playwright: Playwright, server: BenchServer, profile: Path, *, memory: bool
) -> dict[str, Any]:
    context = launch(playwright, profile)
    try:
        page = context.pages[0] if context.pages else context.new_page()
        recorder = TrafficRecorder(context, page).start()
        server.counter.reset()
        page.goto(server.url + "bench/baseline.html", wait_until="commit")
        page.wait_for_function(
            "() => window.baselineResult !== undefined", timeout=READY_TIMEOUT_MS
        )
        outcome = json.loads(page.evaluate("JSON.stringify(window.baselineResult)"))
        if not outcome["ok"]:
            raise RuntimeError(f"the baseline page failed: {outcome['detail']}")
        result = marks(page)
        time.sleep(IDLE_S)
        moved = traffic(recorder, server)
        recorder.stop()
        return {
            **result,
            "bytes_total_cdp": moved.cdp_bytes,
            "bytes_total_server": moved.server_bytes,
            "memory": memory_now(context, page, "baseline.worker") if memory else None,
        }
    finally:
        context.close()


def studio_visits(
    playwright: Playwright, server: BenchServer, profile: Path
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A cold first visit on a new profile, then a warm second visit after a relaunch."""
    url = f"{server.url}?db=bench-{uuid.uuid4().hex[:8]}"
    context = launch(playwright, profile)
    try:
        cold = visit(context, url, server, first=True)
    finally:
        context.close()
    context = launch(playwright, profile)
    try:
        warm = visit(context, url, server, first=False)
    finally:
        context.close()
    return cold, warm


# ---------------------------------------------------------------- keystroke -> diagnostics

# After the next paint: a rAF callback runs at the start of the frame that draws the change,
# and a message posted from it is delivered once that frame's rendering work is done.
AFTER_PAINT = """
  const afterPaint = (done) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => done(performance.now());
    channel.port2.postMessage(null);
  });
"""

ARM_KEYSTROKE = (
    """(path) => {"""
    + AFTER_PAINT
    + """
  const field = document.querySelector(`textarea[data-path="${path}"]`);
  const count = document.querySelector('[data-testid="problem-count"]');
  const panel = document.querySelector('[data-testid="problems-panel"]');
  const before = count.textContent;
  const probe = { before, t0: null, t1: null, t2: null, after: null };
  window.__benchKey = probe;
  field.addEventListener("keydown", (e) => { if (probe.t0 === null) probe.t0 = e.timeStamp; },
                         { capture: true, once: true });
  const observer = new MutationObserver(() => {
    const now = document.querySelector('[data-testid="problem-count"]').textContent;
    if (now !== before && probe.t1 === null) {
      probe.t1 = performance.now();
      probe.after = now;
      observer.disconnect();
      afterPaint((t) => { probe.t2 = t; });
    }
  });
  observer.observe(panel, { subtree: true, childList: true, characterData: true });
}"""
)

# Input latency while typing fast: for every key, keydown -> the frame that shows the typed
# character painted; and every long task (> 50 ms) on the UI thread meanwhile.
ARM_TYPING = (
    """(path) => {"""
    + AFTER_PAINT
    + """
  const field = document.querySelector(`textarea[data-path="${path}"]`);
  const probe = { keys: [], longTasks: [] };
  window.__benchTyping = probe;
  let down = null;
  const onDown = (e) => { down = e.timeStamp; };
  const onInput = () => {
    const t0 = down;
    down = null;
    if (t0 !== null) afterPaint((t) => probe.keys.push(t - t0));
  };
  field.addEventListener("keydown", onDown, { capture: true });
  field.addEventListener("input", onInput);
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) probe.longTasks.push(entry.duration);
  });
  observer.observe({ type: "longtask" });
  probe.stop = () => {
    field.removeEventListener("keydown", onDown, { capture: true });
    field.removeEventListener("input", onInput);
    observer.disconnect();
  };
}"""
)


def import_synthetic(page: Page, chapters: int) -> str:
    document = json.dumps(synthetic_blueprint(chapters, seed=0))
    page.get_by_test_id("import-file").set_input_files(
        files=[
            FilePayload(
                name=f"synthetic-{chapters}.json",
                mimeType="application/json",
                buffer=document.encode(),
            )
        ]
    )
    # The import dialog shows the core's findings first (nothing stored); Import stores it.
    page.get_by_test_id("import-confirm").click(timeout=READY_TIMEOUT_MS)
    page.wait_for_selector('[data-testid="story-screen"]', timeout=READY_TIMEOUT_MS)
    page.wait_for_function(
        """() => document.querySelector('[data-testid="problem-count"]')?.textContent !== "…"
              && document.querySelector('[data-testid="save-status"]')?.dataset.state === "saved" """,
        timeout=READY_TIMEOUT_MS,
    )
    story_id: str = page.evaluate("window.storyGen.open.get().storyId")
    return story_id


def one_keystroke(page: Page, path: str, key: str, *, commit: bool) -> dict[str, float]:
    field_ = page.locator(f'textarea[data-path="{path}"]')
    field_.click()
    page.evaluate(ARM_KEYSTROKE, path)
    page.keyboard.press(key)
    if commit:
        page.keyboard.press("Tab")
    page.wait_for_function("() => window.__benchKey.t2 !== null", timeout=30_000, polling=POLL_MS)
    probe = page.evaluate("JSON.stringify(window.__benchKey)")
    values = json.loads(probe)
    # Settle: the save status back at "saved" before the next key.
    page.wait_for_function(
        """() => document.querySelector('[data-testid="save-status"]')?.dataset.state === "saved" """,
        timeout=30_000,
        polling=POLL_MS,
    )
    return {"dom_ms": values["t1"] - values["t0"], "frame_ms": values["t2"] - values["t0"]}


TYPED = "It was a dark and stormy night; the rain fell in torrents. "


def typing_burst(page: Page, path: str, delay_ms: float) -> tuple[list[float], list[float]]:
    """Type TYPED into an empty draft, one key every ``delay_ms``: per-key input latency and
    the UI thread's long tasks. The field must end up holding exactly what was typed."""
    field_ = page.locator(f'textarea[data-path="{path}"]')
    field_.click()
    page.evaluate(ARM_TYPING, path)
    page.keyboard.type(TYPED, delay=delay_ms)
    page.wait_for_function(
        f"() => window.__benchTyping.keys.length >= {len(TYPED)}", timeout=30_000, polling=POLL_MS
    )
    page.wait_for_function(
        """() => document.querySelector('[data-testid="save-status"]')?.dataset.state === "saved" """,
        timeout=30_000,
        polling=POLL_MS,
    )
    probe = json.loads(
        page.evaluate(
            "(() => { window.__benchTyping.stop(); return JSON.stringify(window.__benchTyping); })()"
        )
    )
    shown = field_.input_value()
    if shown != TYPED:
        raise RuntimeError(f"the draft shows {shown!r} after typing {TYPED!r}: typing was lost")
    return [float(x) for x in probe["keys"]], [float(x) for x in probe["longTasks"]]


def reach(page: Page, path: str) -> None:
    """Open and focus a chapter's field the way the writer jumps to it (a problem, a search
    hit): the editor renders only the cards in view (docs/adr/0126), so no scrolling to it."""
    page.evaluate("(path) => window.storyGen.requests.focusPath(path)", path)
    page.locator(f'textarea[data-path="{path}"]').wait_for()


def keystrokes(page: Page, story_id: str, samples: int) -> dict[str, list[float]]:
    """Keystrokes into the open story's empty drafts (see the module docstring)."""
    out: dict[str, list[float]] = {
        "typed_dom": [],
        "typed_frame": [],
        "committed_dom": [],
        "committed_frame": [],
        "service_apply_edit": [],
        "service_diagnose": [],
        "input_latency": [],
        "long_tasks": [],
    }
    if samples > 0:
        blueprint = json.loads(
            page.evaluate("JSON.stringify(window.storyGen.open.get().story.blueprint)")
        )
        empty = [i for i, c in enumerate(blueprint["chapters"]) if c["draft_text"] is None]
        # Chapters spread over the whole story.
        chosen = [empty[round(k * (len(empty) - 1) / max(1, samples - 1))] for k in range(samples)]
        for mode in ("committed", "typed"):
            for n, index in enumerate(chosen):
                card = page.locator(f'details[data-path="chapters[{index}]"]')
                path = f"chapters[{index}].draft_text"
                reach(page, path)
                # Type a letter into the empty draft (the note goes), then delete it (it comes back).
                for key in ("x", "Backspace"):
                    timing = one_keystroke(page, path, key, commit=(mode == "committed"))
                    if n > 0:  # the first chapter warms up
                        out[f"{mode}_dom"].append(timing["dom_ms"])
                        out[f"{mode}_frame"].append(timing["frame_ms"])
                card.locator("summary").first.click()
        # Typing fast into empty drafts (a key every 60 ms, about 200 words a minute): how long
        # each key takes to show, and whether the UI thread ever blocks meanwhile.
        for index in chosen[: max(1, samples // 3)]:
            card = page.locator(f'details[data-path="chapters[{index}]"]')
            reach(page, f"chapters[{index}].draft_text")
            keys, long_tasks = typing_burst(page, f"chapters[{index}].draft_text", 60)
            out["input_latency"].extend(keys[1:])  # the first key focuses and warms up
            out["long_tasks"].extend(long_tasks)
            card.locator("summary").first.click()
        # The service alone: the same kind of edit, and a full diagnosis, no UI involved
        # (``include_story: false``, as the UI asks while the writer types).
        key = blueprint["chapters"][chosen[0]]["key"]
        revision = page.evaluate("window.storyGen.open.get().revision")
        for n in range(samples + 2):
            timing = page.evaluate(
                """async ([id, key, value, revision]) => {
                    const t0 = performance.now();
                    await window.storyGen.call("story.diagnose", {story_id: id});
                    const t1 = performance.now();
                    const state = await window.storyGen.call("story.apply_edit", {
                        story_id: id, base_revision: revision, include_story: false,
                        op: {op: "set_field", kind: "chapter", key, field: "draft_text", value},
                    });
                    return [t1 - t0, performance.now() - t1, state.revision];
                }""",
                [story_id, key, f"service sample {n}", revision],
            )
            revision = timing[2]
            if n >= 2:
                out["service_diagnose"].append(timing[0])
                out["service_apply_edit"].append(timing[1])
    return out


# ---------------------------------------------------------------- opening a big story

# story.open from the UI thread, in a tab that has not opened the story: storage read, digest
# check (or validation), diagnosis, plan, the reply parsed.
TIME_OPEN = """async (id) => {
  const t0 = performance.now();
  const opened = await window.storyGen.call("story.open", {story_id: id});
  const ms = performance.now() - t0;
  return [ms, opened.state.story.blueprint.chapters.length];
}"""


def open_story_samples(
    context: BrowserContext, url: str, story_id: str, chapters: int, opens: int
) -> list[float]:
    """``opens`` new tabs on the library (warm starts), each timing one ``story.open``."""
    samples: list[float] = []
    for _ in range(opens):
        page = context.new_page()
        try:
            page.goto(f"{url}#/")
            page.wait_for_selector(
                '[data-testid="boot-status"][data-state="ready"]', timeout=READY_TIMEOUT_MS
            )
            time.sleep(0.5)  # the start's own requests (library list) settle first
            ms, count = page.evaluate(TIME_OPEN, story_id)
            if count != chapters:
                raise RuntimeError(f"story.open gave {count} chapters, not {chapters}")
            samples.append(float(ms))
        finally:
            page.close()
    return samples


def big_story(
    playwright: Playwright,
    server: BenchServer,
    profile: Path,
    chapters: int,
    *,
    samples: int,
    opens: int,
) -> tuple[dict[str, int], dict[str, list[float]]]:
    """One new profile with a ``chapters``-chapter story imported: its memory, ``opens`` opens
    in new tabs, then the keystrokes."""
    context = launch(playwright, profile)
    try:
        page = context.pages[0] if context.pages else context.new_page()
        url = f"{server.url}?db=bench-{chapters}-{uuid.uuid4().hex[:8]}"
        page.goto(f"{url}#/")
        page.wait_for_selector(
            '[data-testid="boot-status"][data-state="ready"]', timeout=READY_TIMEOUT_MS
        )
        # The first start makes the memory snapshot in the background: let it finish, so it
        # does not share the cores with what is measured here.
        wait_for_snapshot(page)
        page.get_by_role("link", name="Library").first.click()
        story_id = import_synthetic(page, chapters)
        time.sleep(IDLE_S)
        memory = memory_now(context, page, "service.worker")
        out = {"open_story": open_story_samples(context, url, story_id, chapters, opens)}
        out.update(keystrokes(page, story_id, samples))
        return memory, out
    finally:
        context.close()


# ---------------------------------------------------------------- memory

WORKER_HEAP_TIMEOUT_S = 30.0


def worker_heap_usage(page: Page, cdp: CDPSession, url_part: str) -> dict[str, int]:
    """``Runtime.getHeapUsage`` (after a GC) of the page's worker whose URL contains ``url_part``:
    the page's CDP session auto-attaches to its workers (non-flattened, as tests/e2e/traffic.py
    does) and speaks to it through ``Target.sendMessageToTarget``."""
    sessions: dict[str, str] = {}
    replies: dict[int, dict[str, Any]] = {}

    def attached(event: dict[str, Any]) -> None:
        sessions[event["targetInfo"]["url"]] = event["sessionId"]

    def received(event: dict[str, Any]) -> None:
        message = json.loads(event["message"])
        if "id" in message:
            replies[message["id"]] = message

    cdp.on("Target.attachedToTarget", attached)
    cdp.on("Target.receivedMessageFromTarget", received)
    cdp.send(
        "Target.setAutoAttach",
        {"autoAttach": True, "waitForDebuggerOnStart": False, "flatten": False},
    )
    deadline = time.monotonic() + WORKER_HEAP_TIMEOUT_S

    def ask(session: str, number: int, method: str) -> dict[str, Any]:
        message = json.dumps({"id": number, "method": method})
        cdp.send("Target.sendMessageToTarget", {"sessionId": session, "message": message})
        while number not in replies:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the worker did not answer {method}")
            page.wait_for_timeout(50)
        result: dict[str, Any] = replies[number].get("result", {})
        return result

    while not (found := [s for url, s in sessions.items() if url_part in url]):
        if time.monotonic() > deadline:
            raise RuntimeError(f"no worker {url_part!r} among {list(sessions)}")
        page.wait_for_timeout(50)
    ask(found[0], 1, "HeapProfiler.collectGarbage")
    usage = ask(found[0], 2, "Runtime.getHeapUsage")
    return {key: int(value) for key, value in usage.items()}


def memory_now(context: BrowserContext, page: Page, worker_part: str) -> dict[str, int]:
    """The page's and its Pyodide worker's JS heaps (after a GC) and the worker's wasm memory."""
    cdp = context.new_cdp_session(page)
    try:
        cdp.send("HeapProfiler.collectGarbage")
        ui = cdp.send("Runtime.getHeapUsage")
        worker = worker_heap_usage(page, cdp, worker_part)
    finally:
        cdp.detach()
    wasm = next(
        int(w.evaluate("self.storyGenWasmMemoryBytes()"))
        for w in page.workers
        if worker_part in w.url
    )
    return {
        "ui_js_heap_used_bytes": int(ui["usedSize"]),
        "ui_js_heap_total_bytes": int(ui["totalSize"]),
        "worker_js_heap_used_bytes": worker["usedSize"],
        "worker_js_heap_total_bytes": worker["totalSize"],
        "wasm_memory_bytes": wasm,
    }


# ---------------------------------------------------------------- report

KEY_MEASURES = {  # big_story() sample name -> reported measure
    "open_story": "open_story_service_ms",
    "committed_dom": "keystroke_committed_dom_ms",
    "committed_frame": "keystroke_committed_frame_ms",
    "typed_dom": "keystroke_typed_dom_ms",
    "typed_frame": "keystroke_typed_frame_ms",
    "input_latency": "typing_input_latency_ms",
    "long_tasks": "typing_ui_long_tasks_ms",
    "service_apply_edit": "service_apply_edit_ms",
    "service_diagnose": "service_diagnose_ms",
}

Bound = tuple[str, str, float]  # (statistic: "median" / "p95", comparison: "<" / "<=", bound)
KEYSTROKE_1000: list[Bound] = [("median", "<", 25), ("p95", "<", 40)]
KEYSTROKE_5000: list[Bound] = [("p95", "<", 50)]

TARGETS: dict[str, list[Bound]] = {
    # measure -> its bounds (issue 12; bytes: issue 5)
    "studio_first_contentful_paint_ms": [("median", "<", 300)],
    "studio_library_painted_ms": [("median", "<", 300)],
    "cold_core_ready_over_baseline": [("median", "<=", 1.1)],
    "warm_core_ready_ms": [("median", "<", 1000)],
    "keystroke_committed_frame_ms_1000_chapters": KEYSTROKE_1000,
    "keystroke_typed_frame_ms_1000_chapters": KEYSTROKE_1000,
    "keystroke_committed_frame_ms_5000_chapters": KEYSTROKE_5000,
    "keystroke_typed_frame_ms_5000_chapters": KEYSTROKE_5000,
    "first_visit_bytes_total": [("median", "<", 8 * MB)],
    "second_visit_bytes_total": [("median", "<", 50_000)],
}


def _describe(bounds: list[Bound], unit: str) -> str:
    shown = {"ms": " ms", "bytes": " B", "ratio": " x"}[unit]
    return ", ".join(f"{stat} {cmp} {bound:g}{shown}" for stat, cmp, bound in bounds)


def row(name: str, unit: str, samples: list[float]) -> dict[str, Any] | None:
    """One measure's row, or None when it has no samples (``--runs 0``, ``--keystrokes 0``)."""
    if not samples:
        return None
    stats = summarise(samples)
    bounds = TARGETS.get(name, [])
    verdicts = []
    for stat, comparison, bound in bounds:
        value = stats["p50_ms" if stat == "median" else "p95_ms"]
        met = value < bound if comparison == "<" else value <= bound
        verdicts.append(f"{stat} {'met' if met else 'MISSED'}")
    return {
        "measure": name,
        "unit": unit,
        "n": stats["n"],
        "median": _fmt(stats["p50_ms"], unit),
        "p95": _fmt(stats["p95_ms"], unit),
        "min": _fmt(stats["min_ms"], unit),
        "max": _fmt(stats["max_ms"], unit),
        "target": _describe(bounds, unit) if bounds else "",
        "vs_target": ", ".join(verdicts),
        "samples": [round(s, 3) for s in samples],
    }


def _fmt(value: float, unit: str) -> float | int:
    if unit == "bytes":
        return int(value)
    return round(value, 3 if unit == "ratio" else 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--runs", type=int, default=5, help="cold/warm/baseline repetitions (0: keystrokes only)"
    )
    parser.add_argument("--keystrokes", type=int, default=12, help="chapters typed into per mode")
    parser.add_argument(
        "--chapters",
        default="1000,5000",
        help="sizes of the synthetic stories (memory, opening, keystrokes), comma-separated;"
        " '' for none",
    )
    parser.add_argument("--opens", type=int, default=5, help="story.open samples per size")
    parser.add_argument("--web-dir", type=Path, default=REPO / "build" / "web")
    parser.add_argument(
        "--encoding",
        choices=MODES,
        default="precompressed",
        help="how the server compresses (bench/studio/server.py); default: the .br/.gz siblings;"
        " pages: as GitHub Pages serves (gzip by content type, no siblings)",
    )
    parser.add_argument("--json-out", type=Path, help="write the JSON here instead of stdout")
    args = parser.parse_args(argv)

    web: Path = args.web_dir
    sizes = [int(n) for n in args.chapters.split(",") if n.strip()]
    if not (web / "index.html").is_file():
        subprocess.run(["make", "web"], cwd=REPO, check=True)
    if not (web / "bench" / "baseline.html").is_file():
        raise SystemExit(f"{web}/bench/baseline.html is missing: rebuild with `make web`")
    precompressed = any(web.rglob("*.wasm.br"))
    server = serve(web, SUB_PATH, args.encoding)
    scratch = Path(tempfile.mkdtemp(prefix="studio-bench-"))
    started = time.monotonic()
    load_before = os.getloadavg()
    cold: list[dict[str, Any]] = []
    warm: list[dict[str, Any]] = []
    base: list[dict[str, Any]] = []
    try:
        with sync_playwright() as playwright:
            for run in range(args.runs):
                print(
                    f"run {run + 1}/{args.runs}: baseline, studio cold, studio warm",
                    file=sys.stderr,
                )
                base.append(
                    baseline_visit(playwright, server, scratch / f"baseline-{run}", memory=run == 0)
                )
                first, second = studio_visits(playwright, server, scratch / f"studio-{run}")
                cold.append(first)
                warm.append(second)
            memory: dict[int, dict[str, int]] = {}
            from bench.studio.editable import editable_rows, measure_editable

            editable = measure_editable(playwright, server, scratch, launch, args.runs, sizes)
            keys: dict[int, dict[str, list[float]]] = {}
            for size in sizes:
                print(f"{size} chapters: memory, opening, keystrokes", file=sys.stderr)
                memory[size], keys[size] = big_story(
                    playwright,
                    server,
                    scratch / f"story-{size}",
                    size,
                    samples=args.keystrokes,
                    opens=args.opens,
                )
            version = playwright.chromium.launch(
                executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
            )
            chromium = version.version
            version.close()
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)

    def column(visits: list[dict[str, Any]], key: str) -> list[float]:
        return [float(v[key]) for v in visits if v.get(key) is not None]

    ratios = [s["core_ready"] / b["core_ready"] for s, b in zip(cold, base, strict=True)]
    restored = [v for v in warm if (v.get("snapshot") or {}).get("path") == "restored"]
    step_names = sorted({step for v in restored for step in v["snapshot"]["steps"]})
    made = [v["kept_snapshot"] for v in cold if v.get("kept_snapshot")]
    rows = [
        row("studio_first_contentful_paint_ms", "ms", column(cold, "fcp")),
        row("studio_library_painted_ms", "ms", column(cold, "library_frame")),
        row("studio_library_painted_mark_ms", "ms", column(cold, "library_painted_mark")),
        row("warm_first_contentful_paint_ms", "ms", column(warm, "fcp")),
        row(
            "warm_story_painted_ms",
            "ms",
            column(warm, "story_frame") or column(warm, "library_frame"),
        ),
        row("baseline_core_ready_ms", "ms", column(base, "core_ready")),
        row("cold_core_ready_ms", "ms", column(cold, "core_ready")),
        row("cold_core_ready_over_baseline", "ratio", ratios),
        row("warm_core_ready_ms", "ms", column(warm, "core_ready")),
        row("cold_stage_runtime_ms", "ms", [float(v["stages"]["runtime"]) for v in cold]),
        row("cold_stage_packages_ms", "ms", [float(v["stages"]["packages"]) for v in cold]),
        row("cold_stage_app_ms", "ms", [float(v["stages"]["app"]) for v in cold]),
        row("warm_stage_runtime_ms", "ms", [float(v["stages"]["runtime"]) for v in warm]),
        row("warm_stage_packages_ms", "ms", [float(v["stages"]["packages"]) for v in warm]),
        row("warm_stage_app_ms", "ms", [float(v["stages"]["app"]) for v in warm]),
        row(
            "warm_snapshot_restore_ms",
            "ms",
            [float(sum(v["snapshot"]["steps"].values())) for v in restored],
        ),
        *(
            row(
                f"warm_restore_{step}_ms",
                "ms",
                [float(v["snapshot"]["steps"][step]) for v in restored],
            )
            for step in step_names
        ),
        row("snapshot_make_ms", "ms", [float(k["make_ms"]) for k in made]),
        row(
            "snapshot_kept_after_core_ready_ms",
            "ms",
            [float(k["kept_after_core_ready_ms"]) for k in made],
        ),
        row("snapshot_bytes_raw", "bytes", [float(k["raw_bytes"]) for k in made]),
        row("snapshot_bytes_stored", "bytes", [float(k["stored_bytes"]) for k in made]),
        row("snapshot_bytes_if_gzipped", "bytes", [float(k["gzip_bytes"]) for k in made]),
        *(
            row(f"memory_baseline_{name}", "bytes", [float(value)])
            for name, value in ((base[0].get("memory") or {}) if base else {}).items()
        ),
        *(
            row(f"memory_{size}_chapters_{name}", "bytes", [float(value)])
            for size, figures in memory.items()
            for name, value in figures.items()
        ),
        *(
            row(f"{measure}_{size}_chapters", "ms", samples[name])
            for size, samples in keys.items()
            for name, measure in KEY_MEASURES.items()
            if samples.get(name)
        ),
        # Bytes: what the server wrote (exact, headers included) and, as a cross-check, what
        # CDP reported for the page, its worker and its service worker.
        row("first_visit_bytes_until_ready", "bytes", column(cold, "bytes_until_ready_server")),
        row("first_visit_bytes_total", "bytes", column(cold, "bytes_total_server")),
        row("first_visit_bytes_total_cdp", "bytes", column(cold, "bytes_total_cdp")),
        row("second_visit_bytes_total", "bytes", column(warm, "bytes_total_server")),
        row("second_visit_bytes_total_cdp", "bytes", column(warm, "bytes_total_cdp")),
        row("baseline_bytes_total", "bytes", column(base, "bytes_total_server")),
        *editable_rows(editable),
    ]
    emit(
        "studio",
        [r for r in rows if r is not None],
        ["measure", "unit", "n", "median", "p95", "min", "max", "target", "vs_target"],
        meta={
            "machine": {**machine(), "chromium": chromium, "gpu": None},
            "server": {
                "what": "bench/studio/server.py (Python http.server, HTTP/1.1, 127.0.0.1)",
                "encoding": args.encoding
                + (
                    ""
                    if precompressed or args.encoding != "precompressed"
                    else " (this build has no .br/.gz siblings, a `--fast` build: gzip on the fly)"
                ),
                "cache_control": "max-age=600, ETag, Last-Modified (as GitHub Pages)",
                "encodings_served_first_visit": cold[0]["encodings"] if cold else {},
            },
            "runs": args.runs,
            "chapters": sizes,
            # Which path each warm visit's runtime stage took ("restored" expected), and why not.
            "warm_snapshot_paths": [
                [(v.get("snapshot") or {}).get("path"), (v.get("snapshot") or {}).get("detail")]
                for v in warm
            ],
            "snapshot_encoding": made[0]["encoding"] if made else None,
            "memory": memory,
            # Long tasks (> 50 ms) on the UI thread while typing fast: none means typing never
            # waited on the studio (their durations are the typing_ui_long_tasks_ms row).
            "typing": {
                size: {
                    "keys_measured": len(samples.get("input_latency", [])),
                    "ui_long_tasks": len(samples.get("long_tasks", [])),
                }
                for size, samples in keys.items()
            },
            "seconds": round(time.monotonic() - started, 1),
            # Other work on the machine skews every figure; say how busy it was.
            "load_average_1_5_15": {
                "before": [round(x, 2) for x in load_before],
                "after": [round(x, 2) for x in os.getloadavg()],
            },
            "visits": {"baseline": base, "cold": cold, "warm": warm},
        },
        json_out=args.json_out,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
