"""A clone of the repository passes its own tests with nothing beside it.

The team's reference material (``../shared``) exists only on development machines; what the
tests, the benchmarks, the build and CI need is copied into the repository.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# What runs in a user's clone: tests, benchmarks, the build, CI and the Pyodide harness.
CHECKED = (
    "tests",
    "bench",
    "pyodide",
    "web/scripts",
    "ops",
    ".ci",
    ".github",
    "publish",
    "Makefile",
)
# Third-party data kept as published (its text may say 'shared' in another sense).
VENDORED = ("ops/schemas/",)
OUTSIDE = re.compile(r"""\.\./shared|["']shared["']|parents\[3\]""")


def tracked(*paths: str) -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "-z", "--", *paths], cwd=REPO, capture_output=True, check=True
    ).stdout.decode()
    return [REPO / name for name in out.split("\0") if name]


def test_nothing_that_runs_in_a_clone_reads_beside_the_repository() -> None:
    this = Path(__file__).resolve()
    offenders = []
    for path in tracked(*CHECKED):
        if path.resolve() == this or not path.is_file():
            continue
        if path.relative_to(REPO).as_posix().startswith(VENDORED):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        offenders += [
            f"{path.relative_to(REPO)}:{number}: {line.strip()}"
            for number, line in enumerate(text.splitlines(), 1)
            if OUTSIDE.search(line)
        ]
    assert offenders == []


def test_the_sample_blueprints_are_in_the_repository() -> None:
    samples = tracked("tests/fixtures/blueprints")
    assert len(samples) >= 2
