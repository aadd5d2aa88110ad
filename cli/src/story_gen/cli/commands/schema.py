"""``story-gen schema``: print the JSON Schema of the blueprint (or the Story envelope)."""

from __future__ import annotations

import click

from story_gen.cli._io import dump_json
from story_gen.core import blueprint_json_schema, story_json_schema


@click.command("schema")
@click.option("--story", is_flag=True, help="The Story envelope instead of a bare blueprint.")
def command(story: bool) -> None:
    """Print the JSON Schema of story_blueprint.v1 (what web/ generates its types from)."""
    click.echo(dump_json(story_json_schema() if story else blueprint_json_schema()), nl=False)
