"""``story-gen export FILE --format md|json [-o OUT]``: a story bible or canonical JSON.

The input is only read. With ``-o`` the output is written atomically; writing over
the input itself is refused (``story-gen fmt`` rewrites a file in place).
"""

from __future__ import annotations

from pathlib import Path

import click

from story_gen.cli._io import EXIT_UNREADABLE, write_atomic
from story_gen.cli._load import load_for_output
from story_gen.core import Story, to_canonical_json, to_markdown


@click.command("export")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["md", "json"]),
    required=True,
    help="md: a Markdown story bible; json: canonical JSON.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write here instead of to standard output.",
)
@click.option("--title", help="Title of the story bible (default: the Story's title).")
@click.pass_context
def command(
    ctx: click.Context, file: Path, output_format: str, output: Path | None, title: str | None
) -> None:
    """Export a blueprint as a Markdown story bible or as canonical JSON."""
    if output is not None and output.exists() and file.exists() and output.samefile(file):
        click.echo(
            f"story-gen: {output} is the input file; export never overwrites its input "
            "(use `story-gen fmt` to rewrite a file in place)",
            err=True,
        )
        ctx.exit(EXIT_UNREADABLE)
    document = load_for_output(file)
    if output_format == "json":
        text = to_canonical_json(document)
    elif isinstance(document, Story):
        text = to_markdown(document.blueprint, title=title or document.title)
    else:
        text = to_markdown(document, title=title)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_atomic(output, text)
    except OSError as exc:
        click.echo(f"story-gen: {output}: cannot be written ({exc.strerror or exc})", err=True)
        ctx.exit(EXIT_UNREADABLE)
    click.echo(f"{output}: written", err=True)
