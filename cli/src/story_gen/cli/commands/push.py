"""``story-gen push DIR``: send the edits made in DIR's files as patches; a plain blueprint
``.json`` dropped into DIR becomes a new story. A change the server merged with another
device's edit comes back into the file; a conflict stays in the file's ``conflicts`` and is
reported (exit status 1).
"""

from __future__ import annotations

from pathlib import Path

import click

from story_gen.cli._folder_command import run_folder


@click.command("push")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.pass_context
def command(ctx: click.Context, directory: Path) -> None:
    """Upload the edits made in DIR (conflicts kept in the files, exit 1)."""
    run_folder(ctx, directory, "push")
