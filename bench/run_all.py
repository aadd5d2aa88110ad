"""Run every benchmark in bench/ on CPython, and the core's ones inside Pyodide too (`make bench`).

    python bench/run_all.py [--only NAME] [-- args passed to every benchmark]

A benchmark is any ``bench/*_bench.py`` script: it measures, prints its own JSON and table, and
exits non-zero on failure. Those whose name starts with ``core`` use only the standard library
and ``story_gen.core``, so they also run inside Pyodide under Node
(``node pyodide/run-python.mjs``), on the wheels the studio loads. This script adds a header
saying which machine the numbers come from, runs each one with its output streaming through,
and ends with a summary; it never judges the numbers (benchmarks measure, tests assert).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PYODIDE_PREFIX = "core"


@dataclass(frozen=True)
class Run:
    script: Path
    runtime: str  # "cpython" or "pyodide"

    def command(self, extra: Sequence[str]) -> list[str]:
        if self.runtime == "pyodide":
            return ["node", str(REPO / "pyodide" / "run-python.mjs"), str(self.script), *extra]
        return [sys.executable, str(self.script), *extra]


def discover(only: str | None) -> list[Run]:
    runs: list[Run] = []
    for script in sorted(BENCH.glob("*_bench.py")):
        if only is not None and only not in script.stem:
            continue
        runs.append(Run(script, "cpython"))
        if script.name.startswith(PYODIDE_PREFIX):
            runs.append(Run(script, "pyodide"))
    return runs


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return None


def _version(command: list[str]) -> str | None:
    if shutil.which(command[0]) is None:
        return None
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return result.stdout.strip() or None


def machine() -> dict[str, object]:
    package = json.loads((REPO / "pyodide" / "package.json").read_text(encoding="utf-8"))
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "gpu": None,
        "os": platform.platform(),
        "cpython": platform.python_version(),
        "node": _version(["node", "--version"]),
        "pyodide": package["dependencies"]["pyodide"],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--only", help="run only benchmarks whose file name contains this")
    parser.add_argument("extra", nargs="*", help="arguments passed to every benchmark (after --)")
    args = parser.parse_args(argv)

    runs = discover(args.only)
    print("machine: " + json.dumps(machine()), flush=True)
    if not runs:
        print(f"no benchmark matched in {BENCH} (files named *_bench.py)", file=sys.stderr)
        return 1
    summary: list[tuple[Run, int, float]] = []
    for run in runs:
        title = f"{run.script.relative_to(REPO)} on {run.runtime}"
        print(f"\n=== {title} ===", flush=True)
        started = time.perf_counter()
        status = subprocess.run(run.command(args.extra), cwd=REPO, check=False).returncode
        summary.append((run, status, time.perf_counter() - started))
    print("\n=== summary ===")
    for run, status, seconds in summary:
        verdict = "ok" if status == 0 else f"FAILED (exit {status})"
        print(f"{run.script.name:32} {run.runtime:8} {seconds:7.1f} s  {verdict}")
    return 0 if all(status == 0 for _, status, _ in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
