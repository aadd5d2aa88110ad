"""``story-gen fmt FILE... [--check]``: rewrite files in canonical form.

A file with errors is never touched: its diagnostics are printed and the exit
status is 1. Rewrites are atomic (a temporary file, then a rename), so a crash
leaves the old or the new file, never half of one. ``--check`` writes nothing and
exits 1 when some file would change (for CI).
"""

from __future__ import annotations

from pathlib import Path

import click

from story_gen.cli._io import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_UNREADABLE,
    InputError,
    parse_file_json,
    read_text,
    write_atomic,
)
from story_gen.cli._report import echo_diagnostics
from story_gen.core import inspect_document, to_canonical_json


@click.command("fmt")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file would change.")
@click.pass_context
def command(ctx: click.Context, files: tuple[Path, ...], check: bool) -> None:
    """Rewrite blueprint (or Story) files in canonical JSON."""
    status = EXIT_OK
    for path in files:
        try:
            text = read_text(path)
            raw = parse_file_json(path, text)
        except InputError as exc:
            exc.show()
            status = max(status, EXIT_UNREADABLE)
            continue
        inspection = inspect_document(raw)
        if inspection.errors or inspection.value is None:
            echo_diagnostics(path, inspection.errors, err=True)
            click.echo(f"{path}: not formatted: fix the errors above first", err=True)
            status = max(status, EXIT_ERRORS)
            continue
        canonical = to_canonical_json(inspection.value)
        if canonical == text:
            continue
        if check:
            click.echo(f"{path}: would be reformatted")
            status = max(status, EXIT_ERRORS)
        else:
            try:
                write_atomic(path, canonical)
            except OSError as exc:
                click.echo(
                    f"story-gen: {path}: cannot be written ({exc.strerror or exc})", err=True
                )
                status = max(status, EXIT_UNREADABLE)
                continue
            click.echo(f"{path}: formatted")
    ctx.exit(status)
