"""``story-gen diff A B [--json]``: what changed from A to B, in sentences (or as a patch).

Prints one sentence per changed thing ("chapter `mad-tea-party`: prerequisite
`pig-and-pepper` removed"), or ``no differences``; ``--json`` prints the patch itself
(the ``story_gen.patch/1`` format that sync sends). A blueprint compared with a Story
compares the blueprints. Exit status: 0 (whether or not the files differ), 2 when a
file cannot be read.
"""

from __future__ import annotations

from pathlib import Path

import click

from story_gen.cli._io import dump_json
from story_gen.cli._versions import read_version
from story_gen.core import Story, describe, diff


@click.command("diff")
@click.argument("a", type=click.Path(path_type=Path))
@click.argument("b", type=click.Path(path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="Print the patch (JSON) instead of sentences."
)
def command(a: Path, b: Path, as_json: bool) -> None:
    """Describe the changes that turn file A into file B (blueprints or Stories)."""
    old, new = read_version(a), read_version(b)
    if isinstance(old, Story) and isinstance(new, Story):
        patch = diff(old, new)
    else:
        if isinstance(old, Story) or isinstance(new, Story):
            click.echo(
                f"story-gen: {a if isinstance(old, Story) else b} is a Story and the other file a "
                "bare blueprint: comparing the blueprints only",
                err=True,
            )
        patch = diff(
            old.blueprint if isinstance(old, Story) else old,
            new.blueprint if isinstance(new, Story) else new,
        )
    if as_json:
        click.echo(dump_json(patch.model_dump(mode="json")), nl=False)
        return
    sentences = describe(patch)
    click.echo("\n".join(sentences) if sentences else "no differences")
