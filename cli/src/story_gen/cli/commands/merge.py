"""``story-gen merge BASE OURS THEIRS [-o OUT]``: three-way merge of two edits of BASE.

Writes the merged document (canonical JSON) to OUT, or to stdout. Every conflict is
listed on stderr with its id, path and both values; a Story carries its conflicts in
the written file until ``resolve``, a bare blueprint cannot (the listing is then the only
record: merge Story files to keep them). Errors the merge introduced (a prerequisite
cycle made of both sides' additions, a reference to something the other side deleted)
are listed too.

Exit status: 0 clean, 1 when conflicts remain or the merge introduced errors (the
merged file is written all the same: nothing is lost), 2 when an input cannot be read
or the three files are not versions of one story.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from story_gen.cli._io import EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE, write_atomic
from story_gen.cli._report import echo_diagnostics
from story_gen.cli._versions import read_version
from story_gen.core import (
    Conflict,
    Story,
    StoryBlueprint,
    StoryMismatchError,
    merge,
    to_canonical_json,
)

_SHOWN = 70


def _show(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _echo_conflict(conflict: Conflict) -> None:
    click.echo(
        f"conflict {conflict.conflict_id} [{conflict.kind}] {conflict.path}: {conflict.message}",
        err=True,
    )
    click.echo(f"    ours:   {_show(conflict.ours)}", err=True)
    click.echo(f"    theirs: {_show(conflict.theirs)}", err=True)
    click.echo(f"    the merged file holds: {conflict.provisional}", err=True)


@click.command("merge")
@click.argument("base", type=click.Path(path_type=Path))
@click.argument("ours", type=click.Path(path_type=Path))
@click.argument("theirs", type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", "out", type=click.Path(path_type=Path), help="Write here instead of stdout."
)
@click.pass_context
def command(ctx: click.Context, base: Path, ours: Path, theirs: Path, out: Path | None) -> None:
    """Merge OURS and THEIRS, two edited copies of BASE (all blueprints or all Stories)."""
    versions = [read_version(path) for path in (base, ours, theirs)]
    kinds = {type(v) for v in versions}
    if len(kinds) > 1:
        described = ", ".join(
            f"{path} is a {'Story' if isinstance(v, Story) else 'bare blueprint'}"
            for path, v in zip((base, ours, theirs), versions, strict=True)
        )
        click.echo(
            f"story-gen: merge needs three blueprints or three Stories: {described}", err=True
        )
        ctx.exit(EXIT_UNREADABLE)
    try:
        if kinds == {Story}:
            story_result = merge(*(v for v in versions if isinstance(v, Story)))
            merged: Story | StoryBlueprint = story_result.merged
            remaining = story_result.merged.conflicts
            introduced = story_result.introduced
        else:
            blueprint_result = merge(*(v for v in versions if isinstance(v, StoryBlueprint)))
            merged = blueprint_result.merged
            remaining = blueprint_result.conflicts
            introduced = blueprint_result.introduced
    except StoryMismatchError as error:
        click.echo(f"story-gen: {error}", err=True)
        ctx.exit(EXIT_UNREADABLE)
    text = to_canonical_json(merged)
    if out is None:
        click.echo(text, nl=False)
    else:
        try:
            write_atomic(out, text)
        except OSError as error:
            click.echo(f"story-gen: {out}: cannot be written ({error.strerror or error})", err=True)
            ctx.exit(EXIT_UNREADABLE)
    for conflict in remaining:
        _echo_conflict(conflict)
    if introduced:
        click.echo("the merge introduced these errors (neither side had them):", err=True)
        echo_diagnostics(out or "<merged>", introduced, err=True)
    if remaining or introduced:
        where = f" in {out}" if out is not None else ""
        kept = (
            "they travel with the story until resolved"
            if isinstance(merged, Story)
            else "a bare blueprint cannot keep them: the list above is their only record"
        )
        click.echo(
            f"story-gen: {len(remaining)} conflict(s), {len(introduced)} introduced error(s); "
            f"the merged document{where} holds the provisional values; {kept}",
            err=True,
        )
        ctx.exit(EXIT_ERRORS)
    ctx.exit(EXIT_OK)
