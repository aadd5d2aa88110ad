"""Core benchmark: full diagnose + plan, and incremental re-diagnosis after one-field edits.

    python bench/core_bench.py [--sizes 100,1000,5000] [--repeat N] [--edits N] [--json-out F]
    node pyodide/run-python.mjs bench/core_bench.py [same options]     # inside Pyodide

Standard library + story_gen.core only, so the same script runs on CPython and in Pyodide.
Synthetic blueprints come from bench/synthetic.py (deterministic, seeded).

Cases, per size:
- ``full``: what the studio does when a story opens: diagnose every entity, build the
  blueprint model and the plan (``inspect_blueprint`` + ``plan``).
- ``open:stored`` / ``open:stored-no-digest``: what the studio does when it opens a story
  from storage (``story_gen.core.stored.open_story`` on the canonical text, every
  diagnostic, the plan): with the digest the core stored beside it (nothing validated
  again), and without one (an older record: the full path, validation included).
- ``diagnose`` / ``plan`` alone.
- ``edit:<field>``: one edit through a live ``DiagnosisSession`` followed by reading all
  diagnostics, for four kinds of one-field edit on a chapter in the middle: its objective
  (text), its prerequisites (a valid change), a mistyped theme (an unknown reference with a
  "did you mean" search over every theme) and its key (a rename: duplicates, references and
  the prerequisite graph are re-checked).
Targets (issue 2, in Pyodide, 1,000 chapters): full < 25 ms p95, edit < 4 ms p95.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._report import emit, summarise, time_calls
from bench.synthetic import synthetic_blueprint
from story_gen.core import (
    DiagnosisSession,
    Story,
    StoryBlueprint,
    diagnose,
    inspect_blueprint,
    plan,
)
from story_gen.core.stored import open_story, stored_form

SEED = 2026


def _full(raw: dict[str, Any]) -> Callable[[], object]:
    def call() -> object:
        inspection = inspect_blueprint(raw)
        assert inspection.value is not None
        return plan(inspection.value)

    return call


def _open_stored(story_json: str, digest: str | None) -> Callable[[], object]:
    def call() -> object:
        opened = open_story(story_json, digest)
        opened.session.diagnostics()
        return plan(opened.story.blueprint)

    return call


def _stored(bp: StoryBlueprint) -> tuple[str, str]:
    # Fixed identity and times: the bench stays deterministic.
    when = datetime(2026, 1, 1, tzinfo=UTC)
    story_id = UUID(int=SEED)
    return stored_form(Story.new(story_id=story_id, title="Bench", blueprint=bp, now=when))


def _edits(raw: dict[str, Any]) -> dict[str, Callable[[], object]]:
    """One callable per edit kind; each call applies one edit and reads the diagnostics."""
    session = DiagnosisSession(raw)
    chapters = raw["chapters"]
    middle = len(chapters) // 2
    chapter = chapters[middle]
    base = f"chapters[{middle}]"
    earlier = [c["key"] for c in chapters[max(0, middle - 20) : middle]]
    theme = raw["themes"][0]["key"]
    counter = [0]

    def step() -> int:
        counter[0] += 1
        return counter[0]

    def objective() -> object:
        session.set_field(f"{base}.objective", f"{chapter['objective']} ({step()})")
        return session.diagnostics()

    def prerequisites() -> object:
        n = step()
        session.set_field(f"{base}.prerequisites", earlier[n % len(earlier) :][:3])
        return session.diagnostics()

    def unknown_theme() -> object:
        n = step()
        session.set_field(f"{base}.required_themes", [theme + "x" * (1 + n % 2)])
        return session.diagnostics()

    def key() -> object:
        n = step()
        session.set_field(f"{base}.key", chapter["key"] if n % 2 else chapter["key"] + "-b")
        return session.diagnostics()

    return {
        "edit:objective": objective,
        "edit:prerequisites": prerequisites,
        "edit:unknown_theme": unknown_theme,
        "edit:key": key,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="100,1000,5000", help="chapter counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=40, help="samples per full/diagnose/plan")
    parser.add_argument("--edits", type=int, default=200, help="samples per edit kind")
    parser.add_argument("--json-out", type=Path, help="write the JSON here instead of stdout")
    parser.add_argument(
        "--freeze-gc",
        action="store_true",
        help="gc.freeze() once the blueprints are built, as an app can after boot, so the "
        "collector's full passes skip the long-lived heap (see bench/README.md)",
    )
    args = parser.parse_args(argv)

    rows: list[dict[str, Any]] = []
    for size in (int(part) for part in args.sizes.split(",")):
        raw = synthetic_blueprint(size, seed=SEED)
        if args.freeze_gc:
            gc.collect()
            gc.freeze()
        bp = inspect_blueprint(raw).value
        assert bp is not None, "the synthetic blueprint must load"
        stored = _stored(bp)
        repeat = max(5, args.repeat * 1000 // max(size, 1000))
        cases: dict[str, tuple[Callable[[], object], int]] = {
            "full": (_full(raw), repeat),
            "open:stored": (_open_stored(*stored), repeat),
            "open:stored-no-digest": (_open_stored(stored[0], None), repeat),
            "diagnose": (partial(diagnose, raw), repeat),
            "plan": (partial(plan, bp), repeat),
        }
        cases.update({name: (call, args.edits) for name, call in _edits(raw).items()})
        for case, (call, samples) in cases.items():
            rows.append(
                {"chapters": size, "case": case, **summarise(time_calls(call, repeat=samples))}
            )
    emit(
        "core",
        rows,
        ["chapters", "case", "n", "p50_ms", "p95_ms", "mean_ms", "min_ms", "max_ms"],
        meta={
            "seed": SEED,
            "gc_frozen_after_setup": args.freeze_gc,
            "targets_pyodide_1000": {
                "full_p95_ms": 25,
                "open_stored_p95_ms": 25,
                "edit_p95_ms": 4,
            },
        },
        json_out=args.json_out,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
