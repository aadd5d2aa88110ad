"""Merge and patch benchmark: three-way merge of two edited stories, one-field patches.

    python bench/core_merge_bench.py [--repeat N] [--json-out F]
    node pyodide/run-python.mjs bench/core_merge_bench.py [same options]     # inside Pyodide

Standard library + story_gen.core only, so the same script runs on CPython and in Pyodide
(``make bench`` runs it in both). Synthetic blueprints come from bench/synthetic.py.

Cases:
- ``merge``: ``merge(base, ours, theirs)`` of a 1,000-chapter blueprint edited 50 times
  on each side (objectives, titles, draft lines, prerequisites, priorities, relationships,
  chapters added / deleted / moved), including the re-check with ``diagnose`` for
  introduced errors; ``merge:conflicting`` has both sides rewrite the objectives of the
  same 25 chapters (25 conflicts) among their 50 edits.
- ``diff``, ``apply``, ``rebase`` (the server's path for a stale patch) of a one-field edit
  (one chapter's objective) on 100 / 1,000 / 5,000 chapters, with the patch's JSON size.
- ``draft`` patch size: one word changed in a 60-paragraph draft.
Targets (issue 3): merge < 50 ms in Pyodide; a one-field patch < 1 KB at every size.
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._report import emit, summarise, time_calls
from bench.synthetic import synthetic_blueprint
from story_gen.core import StoryBlueprint, apply_patch, diff, merge, rebase

SEED = 2026
Raw = dict[str, Any]


def _edit(
    raw: Raw, rng: random.Random, tag: str, chapter: Raw | None = None, kind: str | None = None
) -> None:
    """One realistic edit of the raw blueprint (in place)."""
    chapters = raw["chapters"]
    target = chapter if chapter is not None else rng.choice(chapters)
    kind = kind or rng.choice(
        [
            "objective",
            "title",
            "draft",
            "prerequisite",
            "priority",
            "relationship",
            "add",
            "delete",
            "move",
        ]
    )
    if kind == "objective":
        target["objective"] = f"{target['objective']} Revised by {tag}."
    elif kind == "title":
        target["title"] = f"{target['title']} ({tag})"
    elif kind == "draft":
        lines = (target.get("draft_text") or "").split("\n")
        lines.insert(rng.randrange(len(lines) + 1), f"A new paragraph written by {tag}.")
        target["draft_text"] = "\n".join(lines)
    elif kind == "prerequisite":
        index = chapters.index(target)
        if (
            index
            and (earlier := chapters[rng.randrange(index)]["key"]) not in target["prerequisites"]
        ):
            target["prerequisites"].append(earlier)
    elif kind == "priority":
        rng.choice(raw["themes"])["priority"] = rng.randint(1, 10)
    elif kind == "relationship":
        character = rng.choice(raw["characters"])
        other = rng.choice(raw["characters"])["key"]
        if other != character["key"]:
            character["relationships"][other] = f"trusts ({tag})"
    elif kind == "add":
        new: Raw = {"key": f"new-{tag}", "title": tag, "prerequisites": [], "draft_text": None}
        chapters.insert(rng.randrange(len(chapters) + 1), new)
    elif kind == "delete" and chapter is None:
        gone = chapters.pop(rng.randrange(len(chapters)))["key"]
        for other in chapters:
            if gone in other["prerequisites"]:
                other["prerequisites"].remove(gone)
    elif kind == "move" and chapter is None:
        chapters.insert(rng.randrange(len(chapters)), chapters.pop(rng.randrange(len(chapters))))


def _edited(raw: Raw, seed: int, side: str, count: int, shared: list[str]) -> StoryBlueprint:
    rng = random.Random(seed)
    copy_ = copy.deepcopy(raw)
    by_key = {c["key"]: c for c in copy_["chapters"]}
    for number, key in enumerate(shared):
        _edit(copy_, rng, f"{side}{number}", by_key[key], "objective")
    for number in range(count - len(shared)):
        _edit(copy_, rng, f"{side}-{number}")
    return StoryBlueprint.model_validate(copy_)


def _merge_cases(repeat: int) -> list[dict[str, Any]]:
    raw = synthetic_blueprint(1000, seed=SEED)
    base = StoryBlueprint.model_validate(raw)
    rows = []
    shared = [c["key"] for c in random.Random(SEED).sample(raw["chapters"], 25)]
    for case, overlap in (("merge", []), ("merge:conflicting", shared)):
        ours = _edited(raw, SEED + 1, "ours", 50, overlap)
        theirs = _edited(raw, SEED + 2, "theirs", 50, overlap)
        result = merge(base, ours, theirs)

        def call(o: StoryBlueprint = ours, t: StoryBlueprint = theirs) -> object:
            return merge(base, o, t)

        samples = time_calls(call, repeat=repeat)
        rows.append(
            {
                "case": case,
                "chapters": 1000,
                "conflicts": len(result.conflicts),
                "introduced": len(result.introduced),
                **summarise(samples),
            }
        )
    return rows


def _patch_cases(repeat: int) -> list[dict[str, Any]]:
    rows = []
    for size in (100, 1000, 5000):
        raw = synthetic_blueprint(size, seed=SEED)
        base = StoryBlueprint.model_validate(raw)
        middle = raw["chapters"][size // 2]
        one = copy.deepcopy(raw)
        one["chapters"][size // 2]["objective"] = middle["objective"] + " Now with a twist."
        edited = StoryBlueprint.model_validate(one)
        other = copy.deepcopy(raw)
        other["chapters"][size // 3]["title"] = "Retitled elsewhere"
        moved_on = StoryBlueprint.model_validate(other)
        patch = diff(base, edited)
        size_bytes = len(patch.model_dump_json().encode())
        cases: dict[str, Callable[[], object]] = {
            "diff": partial(diff, base, edited),
            "apply": partial(apply_patch, base, patch),
            "rebase": partial(rebase, moved_on, patch),
        }
        samples_per = max(5, repeat * 1000 // max(size, 1000))
        for case, call in cases.items():
            rows.append(
                {
                    "case": f"one-field {case}",
                    "chapters": size,
                    "patch_bytes": size_bytes,
                    **summarise(time_calls(call, repeat=samples_per)),
                }
            )
    return rows


def _draft_case() -> dict[str, Any]:
    paragraphs = [
        f"Paragraph {n}: " + "the tide came in over the amber harbour " * 12 for n in range(60)
    ]
    base = StoryBlueprint.model_validate(
        {"chapters": [{"key": "a", "draft_text": "\n".join(paragraphs)}]}
    )
    paragraphs[30] = paragraphs[30].replace("amber", "copper", 1)
    edited = StoryBlueprint.model_validate(
        {"chapters": [{"key": "a", "draft_text": "\n".join(paragraphs)}]}
    )
    patch = diff(base, edited)
    draft = base.chapters[0].draft_text or ""
    return {
        "case": "one-word draft edit",
        "chapters": 1,
        "patch_bytes": len(patch.model_dump_json().encode()),
        "draft_bytes": len(draft.encode()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=30, help="samples per case (1,000 chapters)")
    parser.add_argument("--json-out", type=Path, help="write the JSON here instead of stdout")
    args = parser.parse_args(argv)
    rows = [*_merge_cases(args.repeat), *_patch_cases(args.repeat), _draft_case()]
    emit(
        "core_merge",
        rows,
        [
            "case",
            "chapters",
            "conflicts",
            "patch_bytes",
            "n",
            "p50_ms",
            "p95_ms",
            "mean_ms",
            "max_ms",
        ],
        meta={"seed": SEED, "targets": {"merge_pyodide_ms": 50, "one_field_patch_bytes": 1024}},
        json_out=args.json_out,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
