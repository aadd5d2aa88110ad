"""``story-gen rename FILE OLD NEW [--kind KIND] [--dry-run]``: rename a key everywhere.

The rename itself is the core's (``story_gen.core.edits.rename_key``), the same rule the
studio applies: the theme, character or chapter gets the new key and every reference to
the old one (required themes, participating characters, prerequisites, relationships)
is rewritten. The CLI finds which kind OLD is, prints what changes in story terms and
writes the file atomically in canonical form; ``--dry-run`` prints only.

A file with errors, an unknown OLD, a NEW that is invalid or already taken: a clear
message, exit status 1, nothing written.
"""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import click

from story_gen.cli._io import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_UNREADABLE,
    InputError,
    read_json,
    write_atomic,
)
from story_gen.cli._report import echo_diagnostics
from story_gen.core import Story, StoryBlueprint, apply_patch, inspect_document, to_canonical_json
from story_gen.core.edits import COLLECTION, EditRejectedError, EntityKind, rename_key
from story_gen.core.keys import normalize_key
from story_gen.core.suggest import closest

__all__ = ["command"]

_KINDS: tuple[EntityKind, ...] = get_args(EntityKind)


def _kinds_holding(bp: StoryBlueprint, key: str) -> list[EntityKind]:
    return [
        kind
        for kind in _KINDS
        if any(entity.key == key for entity in getattr(bp, COLLECTION[kind]))
    ]


def _pick_kind(bp: StoryBlueprint, old: str, kind: EntityKind | None) -> EntityKind:
    if kind is not None:
        return kind
    key = normalize_key(old)
    holding = _kinds_holding(bp, key)
    if len(holding) == 1:
        return holding[0]
    if holding:
        kinds = " and a ".join(holding)
        raise EditRejectedError(
            f'"{key}" is the key of a {kinds}; say which to rename with --kind '
            f"({'/'.join(holding)})."
        )
    every = [e.key for kind in _KINDS for e in getattr(bp, COLLECTION[kind])]
    guess = closest(key, every)
    hint = f' Did you mean "{guess}"?' if guess else ""
    raise EditRejectedError(f'No theme, character or chapter has the key "{key}".{hint}')


def _fail(message: str) -> None:
    click.echo(f"story-gen: {message}", err=True)


@click.command("rename")
@click.argument("file", type=click.Path(path_type=Path))
@click.argument("old")
@click.argument("new")
@click.option(
    "--kind",
    type=click.Choice(_KINDS),
    default=None,
    help="Which kind of key OLD is, when a theme, character or chapter share it.",
)
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@click.pass_context
def command(
    ctx: click.Context, file: Path, old: str, new: str, kind: EntityKind | None, dry_run: bool
) -> None:
    """Rename the key OLD of a theme, character or chapter to NEW, rewriting every reference."""
    try:
        raw = read_json(file)
    except InputError as exc:
        exc.show()
        ctx.exit(exc.exit_code)
    inspection = inspect_document(raw)
    document: Story | StoryBlueprint | None = inspection.value
    if inspection.errors or document is None:
        echo_diagnostics(file, inspection.errors, err=True)
        _fail(f"{file}: not renamed: fix the errors above first")
        ctx.exit(EXIT_ERRORS)
    assert document is not None
    blueprint = document.blueprint if isinstance(document, Story) else document
    try:
        renaming = rename_key(blueprint, _pick_kind(blueprint, old, kind), old, new)
    except EditRejectedError as error:
        _fail(f"{file}: {error} Nothing was written.")
        ctx.exit(EXIT_ERRORS)
    what = f'{renaming.kind} "{renaming.old_key}"'
    if not renaming.patch.ops:
        click.echo(f'{file}: {what} already has the key "{renaming.new_key}"; nothing to do')
        ctx.exit(EXIT_OK)
    count = len(renaming.references)
    noun = "reference" if count == 1 else "references"
    to = f'"{renaming.new_key}"'
    if dry_run:
        rest = f"{count} {noun} to rewrite:" if count else "nothing refers to it"
        click.echo(f"{file}: {what} would become {to}; {rest}")
    else:
        rest = f"{count} {noun} rewritten:" if count else "nothing referred to it"
        click.echo(f"{file}: {what} is now {to}; {rest}")
    for reference in renaming.references:
        click.echo(f"  {reference.speak()}")
    if dry_run:
        click.echo("(dry run: nothing written)")
        ctx.exit(EXIT_OK)
    if isinstance(document, Story):
        text = to_canonical_json(apply_patch(document, renaming.patch))
    else:
        text = to_canonical_json(apply_patch(document, renaming.patch))
    try:
        write_atomic(file, text)
    except OSError as exc:
        _fail(f"{file}: cannot be written ({exc.strerror or exc}); nothing was changed")
        ctx.exit(EXIT_UNREADABLE)
    ctx.exit(EXIT_OK)
