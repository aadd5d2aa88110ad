"""Loading a document for commands that produce output from it (plan, export)."""

from __future__ import annotations

from pathlib import Path

import click

from story_gen.cli._io import EXIT_ERRORS, read_json
from story_gen.cli._report import echo_diagnostics
from story_gen.core import Story, StoryBlueprint, inspect_document

__all__ = ["load_for_output"]


def load_for_output(path: Path) -> StoryBlueprint | Story:
    """The file's model, as long as one can be built.

    Unknown references and prerequisite cycles do not stop plan or export (they
    are what a writer needs the plan to see); they are listed on stderr. Schema
    errors, invalid or duplicate keys do: exit status 1, nothing written.
    """
    inspection = inspect_document(read_json(path))
    if inspection.value is None:
        echo_diagnostics(path, inspection.errors, err=True)
        click.echo(f"{path}: cannot be read as a blueprint: fix the errors above", err=True)
        raise click.exceptions.Exit(EXIT_ERRORS)
    if inspection.errors:
        echo_diagnostics(path, inspection.errors, err=True)
        click.echo(
            f"{path}: {len(inspection.errors)} error(s) above; output shows the plan as it stands",
            err=True,
        )
    return inspection.value
