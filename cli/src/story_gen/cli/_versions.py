"""Reading the versions that ``story-gen diff`` and ``story-gen merge`` compare.

A version is a bare blueprint or a Story envelope (whichever the file is). Unknown
references and prerequisite cycles do not stop a comparison (a writer merges unfinished
plans); a file no model can hold (bad JSON, schema errors, invalid or duplicate keys)
is unreadable for these commands: its diagnostics are printed and the exit status is 2.
"""

from __future__ import annotations

from pathlib import Path

import click

from story_gen.cli._io import EXIT_UNREADABLE, InputError, read_json
from story_gen.cli._report import echo_diagnostics
from story_gen.core import Story, StoryBlueprint, inspect_document

__all__ = ["read_version"]


def read_version(path: Path) -> Story | StoryBlueprint:
    try:
        raw = read_json(path)
    except InputError as error:
        error.show()
        raise click.exceptions.Exit(EXIT_UNREADABLE) from None
    inspection = inspect_document(raw)
    if inspection.value is None:
        echo_diagnostics(path, inspection.errors, err=True)
        click.echo(
            f"story-gen: {path}: cannot be read as a blueprint: fix the errors above", err=True
        )
        raise click.exceptions.Exit(EXIT_UNREADABLE)
    return inspection.value
