"""Core edits benchmark: one writer's edit to diagnostics, the studio's way before and after.

    python bench/core_edits_bench.py [--sizes 1000] [--edits N] [--repeat N] [--json-out F]
    node pyodide/run-python.mjs bench/core_edits_bench.py [same options]     # inside Pyodide

Standard library + story_gen.core only (runs on CPython and in Pyodide). Per size:

- ``keystroke:before``: what the studio did until core.edits: the edited chapter rebuilt as a
  model, the lists compared by identity to find it, ``DiagnosisSession.update_entity`` with
  its JSON, then every diagnostic read.
- ``keystroke:after``: ``edits.set_field`` (its Patch, the new blueprint and the touched keys),
  ``DiagnosisSession.follow``, then every diagnostic read.
- ``patch:apply_tracked``: the same keystroke's patch applied as one from elsewhere (undo,
  another tab, the server) is: ``apply_tracked`` then ``follow``.
- ``rename:before``: a chapter rename (its references rewritten) re-diagnosed in one full pass,
  as the studio did for a step touching several entities.
- ``rename:after``: the same rename's patch followed incrementally.
- ``diagnose``: a full diagnose of the blueprint (unchanged code; the reference point).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._report import emit, summarise, time_calls
from bench.synthetic import synthetic_blueprint
from story_gen.core import DiagnosisSession, StoryBlueprint, diagnose, edits, inspect_blueprint
from story_gen.core.patch import apply_tracked

SEED = 2026


def _dump(model: Any) -> Any:
    return model.model_dump(mode="json")


def _keystroke_before(bp: StoryBlueprint) -> Callable[[], object]:
    state = {"bp": bp, "session": DiagnosisSession(_dump(bp)), "n": 0}
    middle = len(bp.chapters) // 2

    def call() -> object:
        old: StoryBlueprint = state["bp"]  # type: ignore[assignment]
        session: DiagnosisSession = state["session"]  # type: ignore[assignment]
        state["n"] += 1  # type: ignore[operator]
        key = old.chapters[middle].key
        # The studio's edit looked its chapter up by key with a Python loop.
        index = next(i for i, c in enumerate(old.chapters) if c.key == key)
        chapter = old.chapters[index]
        rebuilt = type(chapter).model_validate(
            {**chapter.model_dump(), "objective": f"{chapter.objective[:40]} {state['n']}"}
        )
        chapters = list(old.chapters)
        chapters[index] = rebuilt
        new = old.model_copy(update={"chapters": chapters})
        changed = [
            i for i, (a, b) in enumerate(zip(old.chapters, new.chapters, strict=True)) if a is not b
        ]
        for index in changed:
            session.update_entity("chapters", index, _dump(new.chapters[index]))
        state["bp"] = new
        return session.diagnostics()

    return call


def _keystroke_after(bp: StoryBlueprint) -> Callable[[], object]:
    state = {"bp": bp, "session": DiagnosisSession(_dump(bp)), "n": 0}
    key = bp.chapters[len(bp.chapters) // 2].key

    def call() -> object:
        old: StoryBlueprint = state["bp"]  # type: ignore[assignment]
        session: DiagnosisSession = state["session"]  # type: ignore[assignment]
        state["n"] += 1  # type: ignore[operator]
        objective = old.chapters[len(old.chapters) // 2].objective[:40]
        edit = edits.set_field(old, "chapter", key, "objective", f"{objective} {state['n']}")
        session.follow(edit)
        state["bp"] = edit.document
        return session.diagnostics()

    return call


def _patch_from_elsewhere(bp: StoryBlueprint) -> Callable[[], object]:
    state = {"bp": bp, "session": DiagnosisSession(_dump(bp)), "n": 0}
    key = bp.chapters[len(bp.chapters) // 2].key

    def call() -> object:
        old: StoryBlueprint = state["bp"]  # type: ignore[assignment]
        session: DiagnosisSession = state["session"]  # type: ignore[assignment]
        state["n"] += 1  # type: ignore[operator]
        objective = old.chapters[len(old.chapters) // 2].objective[:40]
        patch = edits.set_field(old, "chapter", key, "objective", f"{objective} {state['n']}").patch
        applied = apply_tracked(old, patch)
        session.follow(applied)
        state["bp"] = applied.document
        return session.diagnostics()

    return call


def _renames(bp: StoryBlueprint, *, incremental: bool) -> Callable[[], object]:
    # Rename a chapter in the middle back and forth: its key, and the prerequisites naming it.
    state = {"bp": bp, "session": DiagnosisSession(_dump(bp)), "n": 0}
    key = bp.chapters[len(bp.chapters) // 2].key

    def call() -> object:
        old: StoryBlueprint = state["bp"]  # type: ignore[assignment]
        session: DiagnosisSession = state["session"]  # type: ignore[assignment]
        state["n"] += 1  # type: ignore[operator]
        source, target = (key, f"{key}-b") if state["n"] % 2 else (f"{key}-b", key)  # type: ignore[operator]
        renaming = edits.rename_key(old, "chapter", source, target)
        if incremental:
            session.follow(renaming)
        else:
            session.set_field((), _dump(renaming.document))
        state["bp"] = renaming.document
        return session.diagnostics()

    return call


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="1000", help="chapter counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=20, help="samples of diagnose")
    parser.add_argument("--edits", type=int, default=200, help="samples per edit case")
    parser.add_argument("--json-out", type=Path, help="write the JSON here instead of stdout")
    args = parser.parse_args(argv)

    rows: list[dict[str, Any]] = []
    for size in (int(part) for part in args.sizes.split(",")):
        raw = synthetic_blueprint(size, seed=SEED)
        bp = inspect_blueprint(raw).value
        assert bp is not None, "the synthetic blueprint must load"
        renames = max(10, args.edits // 10)
        cases: dict[str, tuple[Callable[[], object], int]] = {
            "keystroke:before": (_keystroke_before(bp), args.edits),
            "keystroke:after": (_keystroke_after(bp), args.edits),
            "patch:apply_tracked": (_patch_from_elsewhere(bp), args.edits),
            "rename:before": (_renames(bp, incremental=False), renames),
            "rename:after": (_renames(bp, incremental=True), renames),
            "diagnose": (partial(diagnose, raw), args.repeat),
        }
        for case, (call, samples) in cases.items():
            rows.append(
                {"chapters": size, "case": case, **summarise(time_calls(call, repeat=samples))}
            )
    emit(
        "core_edits",
        rows,
        ["chapters", "case", "n", "p50_ms", "p95_ms", "mean_ms", "min_ms", "max_ms"],
        meta={"seed": SEED},
        json_out=args.json_out,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
