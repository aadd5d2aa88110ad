"""``story-gen plan FILE [--format text|json|mermaid|dot]``: the writing plan of a blueprint."""

from __future__ import annotations

from pathlib import Path

import click

from story_gen.cli._load import load_for_output
from story_gen.core import Story, plan, plan_to_dot, plan_to_json, plan_to_mermaid, plan_to_text

_RENDERERS = {
    "text": plan_to_text,
    "json": plan_to_json,
    "mermaid": plan_to_mermaid,
    "dot": plan_to_dot,
}


@click.command("plan")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(_RENDERERS)),
    default="text",
    show_default=True,
    help="text to read, json for tools, mermaid or dot for a graph.",
)
def command(file: Path, output_format: str) -> None:
    """Writing order, dependency depth, longest chain, theme/character coverage and gaps."""
    document = load_for_output(file)
    blueprint = document.blueprint if isinstance(document, Story) else document
    click.echo(_RENDERERS[output_format](plan(blueprint)), nl=False)
