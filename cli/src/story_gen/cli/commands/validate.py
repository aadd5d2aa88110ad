"""``story-gen validate FILE... [--json]``: report every problem of each file.

Exit status: 0 when no file has errors (warnings and notes are fine), 1 when some
file has errors, 2 when some file cannot be read at all (missing, not UTF-8, not
JSON). Files are only read, never written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from story_gen.cli._io import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_UNREADABLE,
    InputError,
    dump_json,
    read_json,
)
from story_gen.cli._report import echo_diagnostics, summary
from story_gen.core import inspect_document


@click.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document for all files.")
@click.pass_context
def command(ctx: click.Context, files: tuple[Path, ...], as_json: bool) -> None:
    """Check blueprint (or Story) files and report every problem at once."""
    status = EXIT_OK
    reports: list[dict[str, Any]] = []
    totals = {"errors": 0, "warnings": 0, "infos": 0}
    for path in files:
        try:
            raw = read_json(path)
        except InputError as exc:
            status = max(status, EXIT_UNREADABLE)
            reports.append(
                {
                    "file": str(path),
                    "status": "unreadable",
                    "error": {"message": exc.message, "line": exc.line, "column": exc.column},
                    "diagnostics": [],
                }
            )
            if not as_json:
                exc.show()
            continue
        inspection = inspect_document(raw)
        counts = summary(inspection.diagnostics)
        for name, count in counts.items():
            totals[name] += count
        if counts["errors"]:
            status = max(status, EXIT_ERRORS)
        reports.append(
            {
                "file": str(path),
                "kind": inspection.kind,
                "status": "errors" if counts["errors"] else "ok",
                "diagnostics": [d.model_dump(mode="json") for d in inspection.diagnostics],
            }
        )
        if not as_json:
            echo_diagnostics(path, inspection.diagnostics)
    if as_json:
        document = {"files": reports, "summary": {"files": len(files), **totals}}
        click.echo(dump_json(document | {"exit_code": status}), nl=False)
    else:
        unreadable = sum(1 for report in reports if report["status"] == "unreadable")
        parts = [f"{len(files)} file(s) checked", f"{totals['errors']} error(s)"]
        parts += [f"{totals['warnings']} warning(s)", f"{totals['infos']} note(s)"]
        if unreadable:
            parts.append(f"{unreadable} unreadable")
        click.echo(", ".join(parts), err=True)
    ctx.exit(status)
