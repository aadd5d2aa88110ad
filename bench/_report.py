"""Shared helpers for bench/*.py: time a callable, summarise samples, print JSON and a table.

Standard library only (benchmarks run on CPython and inside Pyodide alike). A benchmark
collects rows (dicts of plain values), then calls :func:`emit`, which prints the JSON
document (or writes it to ``--json-out``) and a fixed-width table of chosen columns.
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["emit", "runtime", "summarise", "time_calls"]


def runtime() -> dict[str, str]:
    """Which interpreter the numbers come from."""
    return {
        "runtime": "pyodide" if sys.platform == "emscripten" else "cpython",
        "python": platform.python_version(),
        "platform": sys.platform,
    }


def time_calls(call: Callable[[], object], *, repeat: int, warmup: int = 2) -> list[float]:
    """Milliseconds per call, ``repeat`` times, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        call()
    samples: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def summarise(samples_ms: Sequence[float]) -> dict[str, float | int]:
    """n, mean, p50, p95, min and max of millisecond samples (nearest-rank percentiles)."""
    ordered = sorted(samples_ms)

    def rank(fraction: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]

    return {
        "n": len(ordered),
        "mean_ms": round(statistics.fmean(ordered), 3),
        "p50_ms": round(rank(0.50), 3),
        "p95_ms": round(rank(0.95), 3),
        "min_ms": round(ordered[0], 3),
        "max_ms": round(ordered[-1], 3),
    }


def _table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    cells = [[str(row.get(column, "")) for column in columns] for row in rows]
    widths = [
        max(len(column), *(len(line[i]) for line in cells)) for i, column in enumerate(columns)
    ]
    lines = ["  ".join(column.ljust(width) for column, width in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * width for width in widths))
    lines += [
        "  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True))
        for line in cells
    ]
    return "\n".join(lines)


def emit(
    name: str,
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    *,
    meta: dict[str, Any] | None = None,
    json_out: Path | None = None,
) -> None:
    """Print the JSON document (or write it to ``json_out``), then the table."""
    document = {"benchmark": name, **runtime(), **(meta or {}), "results": list(rows)}
    text = json.dumps(document, indent=2)
    if json_out is not None:
        json_out.write_text(text + "\n", encoding="utf-8")
        print(f"wrote {json_out}")
    else:
        print(text)
    print()
    print(f"{name} on {document['runtime']} {document['python']}")
    print(_table(rows, columns))
