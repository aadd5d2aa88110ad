"""What ``story-gen pull``, ``push`` and ``sync`` share: sign in, read the folder, run the
engine one way or both, write the files, report conflicts and refusals."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import click

from story_gen.cli._account import client_for, load
from story_gen.cli._api_errors import reported
from story_gen.cli._folder import Folder
from story_gen.cli._io import EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE
from story_gen.cli._report import echo_diagnostics
from story_gen.client import StoryApiClient, SyncEngine, SyncReport, sync
from story_gen.client.syncing import pull_all, push_all

__all__ = ["run_folder"]

Mode = Literal["pull", "push", "sync"]


def _run(mode: Mode, client: StoryApiClient, engine: SyncEngine) -> SyncReport:
    if mode == "pull":
        return pull_all(client, engine)
    if mode == "push":
        return push_all(client, engine)
    return sync(client, engine)


def run_folder(ctx: click.Context, directory: Path, mode: Mode) -> None:
    account = load()
    folder = Folder(directory, account.api, account.email)
    with reported(), client_for(account) as client:
        folder.scan(client)
        try:
            report = _run(mode, client, folder.engine)
        finally:
            folder.save()  # a change in flight keeps its change_id for the next try
    folder.write(report)
    status = EXIT_OK
    for rejection in report.rejected:
        path = folder.paths.get(rejection.story_id, directory)
        echo_diagnostics(path, rejection.diagnostics, err=True)
        click.echo(f"story-gen: {path}: the server refused this change; fix the file", err=True)
        status = EXIT_ERRORS
    for story_id, story in folder.conflicted().items():
        path = folder.paths[story_id]
        for conflict in story.conflicts:
            click.echo(
                f"{path}: conflict {conflict.conflict_id} [{conflict.kind}] {conflict.path}: "
                f"the file holds {conflict.provisional}; both values are in its `conflicts`",
                err=True,
            )
        status = EXIT_ERRORS
    if status == EXIT_ERRORS:
        click.echo(
            "story-gen: resolve a conflict by editing the value and removing the entry from "
            "the file's `conflicts`, then sync again",
            err=True,
        )
    stories = len(folder.engine.stories())
    click.echo(f"{mode}: {stories} stories in {directory}, {len(report.changed)} updated here")
    if folder.unreadable:
        status = EXIT_UNREADABLE
    ctx.exit(status)
