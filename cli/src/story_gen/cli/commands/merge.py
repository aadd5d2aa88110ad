"""``story-gen merge BASE OURS THEIRS [-o OUT]``: three-way merge of two edits of BASE.

Writes the merged document (canonical JSON) to OUT, or to stdout. Every conflict is
listed on stderr with its id, path and both values, and kept in a file: a Story (and a
synced ``.story.json`` file) carries its conflicts in the written file until resolved; a
bare blueprint cannot, so they go to the sidecar ``OUT.conflicts.json`` next to it, or to
``--conflicts FILE`` (removed again by a clean merge). Errors the merge introduced (a prerequisite cycle made of both
sides' additions, a reference to something the other side deleted) are listed too.

As a git merge driver (docs/cli.md), where ``%A`` is a temporary file and ``%P`` the real
path: ``story-gen merge %O %A %B -o %A --conflicts %P.conflicts.json``.

Exit status: 0 clean, 1 when conflicts remain or the merge introduced errors (the
merged file is written all the same: nothing is lost), 2 when an input cannot be read
or the three files are not versions of one story.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from pydantic import ValidationError

from story_gen.cli._io import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_UNREADABLE,
    InputError,
    dump_json,
    read_json,
    write_atomic,
)
from story_gen.cli._report import echo_diagnostics
from story_gen.cli._story_file import StoryFile, is_story_file, render, to_story
from story_gen.cli._versions import read_version
from story_gen.core import (
    Conflict,
    Diagnostic,
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
@click.option(
    "--conflicts",
    "sidecar",
    type=click.Path(path_type=Path),
    help="Where a bare blueprint's conflicts are kept (default: OUT.conflicts.json).",
)
@click.pass_context
def command(
    ctx: click.Context,
    base: Path,
    ours: Path,
    theirs: Path,
    out: Path | None,
    sidecar: Path | None,
) -> None:
    """Merge OURS and THEIRS, two edited copies of BASE (all blueprints, all Stories or all
    synced .story.json files)."""
    files = _story_files((base, ours, theirs))
    if files is not None:
        _merge_story_files(ctx, files, out)
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
    _write(ctx, out, to_canonical_json(merged))
    if sidecar is None and out is not None:
        sidecar = _sidecar(out)
    if isinstance(merged, StoryBlueprint) and sidecar is not None:
        _write_sidecar(ctx, sidecar, out, remaining)
    kept_in_file = isinstance(merged, Story)
    _report(ctx, out, remaining, introduced, kept_in_file=kept_in_file, sidecar=sidecar)


def _report(
    ctx: click.Context,
    out: Path | None,
    remaining: list[Conflict],
    introduced: list[Diagnostic],
    *,
    kept_in_file: bool,
    sidecar: Path | None = None,
) -> None:
    for conflict in remaining:
        _echo_conflict(conflict)
    if introduced:
        click.echo("the merge introduced these errors (neither side had them):", err=True)
        echo_diagnostics(out or "<merged>", introduced, err=True)
    if remaining or introduced:
        where = f" in {out}" if out is not None else ""
        if kept_in_file:
            kept = "they travel with the story until resolved"
        elif sidecar is not None:
            kept = f"both values of each are kept in {sidecar}"
        else:
            kept = "a bare blueprint on stdout cannot keep them: use -o OUT to keep them in a file"
        click.echo(
            f"story-gen: {len(remaining)} conflict(s), {len(introduced)} introduced error(s); "
            f"the merged document{where} holds the provisional values; {kept}",
            err=True,
        )
        ctx.exit(EXIT_ERRORS)
    ctx.exit(EXIT_OK)


def _write(ctx: click.Context, out: Path | None, text: str) -> None:
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        write_atomic(out, text)
    except OSError as error:
        click.echo(f"story-gen: {out}: cannot be written ({error.strerror or error})", err=True)
        ctx.exit(EXIT_UNREADABLE)


def _sidecar(out: Path) -> Path:
    return out.with_name(out.name + ".conflicts.json")


def _write_sidecar(
    ctx: click.Context, sidecar: Path, out: Path | None, conflicts: list[Conflict]
) -> None:
    """A bare blueprint's conflicts, both values each, in the sidecar; a clean merge removes
    a stale one (its conflicts are gone from the merged file)."""
    if not conflicts:
        sidecar.unlink(missing_ok=True)
        return
    document = {
        "merged_file": None if out is None else out.name,
        "conflicts": [conflict.model_dump(mode="json") for conflict in conflicts],
    }
    _write(ctx, sidecar, dump_json(document))


def _story_files(paths: tuple[Path, ...]) -> list[StoryFile] | None:
    """The three inputs as synced story files, or None when none of them is one."""
    raws = []
    for path in paths:
        try:
            raws.append(read_json(path))
        except InputError:
            return None  # read_version reports it
    kinds = [is_story_file(raw) for raw in raws]
    if not any(kinds):
        return None
    files = []
    for path, raw, kind in zip(paths, raws, kinds, strict=True):
        if not kind:
            raise InputError(f"{path}: the other inputs are .story.json files and this is not")
        try:
            files.append(StoryFile.model_validate(raw))
        except ValidationError as error:
            raise InputError(f"{path}: not a story file: {error.errors()[0]['msg']}") from None
    return files


def _merge_story_files(ctx: click.Context, files: list[StoryFile], out: Path | None) -> None:
    """Merge synced story files (what git hands a merge driver for ``*.story.json``).

    The result says the lower of the two revisions: its content is that revision plus
    edits, which the next ``story-gen sync`` rebases onto the server's head.
    """
    base, ours, theirs = (to_story(file, None) for file in files)
    try:
        result = merge(base, ours, theirs)
    except StoryMismatchError as error:
        click.echo(f"story-gen: {error}", err=True)
        ctx.exit(EXIT_UNREADABLE)
    revision = min(files[1].revision, files[2].revision)
    _write(ctx, out, render(result.merged, revision))
    _report(ctx, out, result.merged.conflicts, result.introduced, kept_in_file=True)
