"""``story-gen sync DIR``: push, then pull, then push what the pull merged: DIR and the
account end up the same. Exit status 1 while a conflict remains in a file, 2 when the API
cannot be reached or a file cannot be read.
"""

from __future__ import annotations

from pathlib import Path

import click

from story_gen.cli._folder_command import run_folder


@click.command("sync")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.pass_context
def command(ctx: click.Context, directory: Path) -> None:
    """Push and pull: DIR and the account end up the same."""
    run_folder(ctx, directory, "sync")
