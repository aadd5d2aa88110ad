"""``story-gen pull DIR``: bring the account's stories into DIR, one canonical
``<slug>.story.json`` per story (id, title, revision, blueprint, conflicts). Edits already in
the files are merged with what changed on the server, never overwritten.
"""

from __future__ import annotations

from pathlib import Path

import click

from story_gen.cli._folder_command import run_folder


@click.command("pull")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.pass_context
def command(ctx: click.Context, directory: Path) -> None:
    """Download the account's stories into DIR (merging with local edits)."""
    run_folder(ctx, directory, "pull")
