"""``story-gen restore SRC``: bring a snapshot written by ``story-gen backup`` into an empty
deployment (the one the ``STORY_GEN_*`` settings describe). A deployment that already holds an
account, a story or a foreign blob is refused and left unchanged."""

from __future__ import annotations

import json

import click

from story_gen.cli.commands._deployment import deployment_services


@click.command("restore")
@click.argument("src")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def command(src: str, as_json: bool) -> None:
    """Restore the snapshot SRC (a story-gen-backup-... folder or s3:// prefix)."""
    from story_gen.sync_api.backup import BackupError, restore_backup

    services = deployment_services()
    try:
        report = restore_backup(services, src)
    except BackupError as error:
        click.echo(f"story-gen restore: {error}", err=True)
        raise SystemExit(1) from None
    finally:
        services.db.dispose()
    if as_json:
        click.echo(json.dumps(report.__dict__))
    else:
        click.echo(
            f"restored {report.source}: {report.users} accounts, {report.stories} stories, "
            f"{report.revisions} revisions, {report.blobs} blobs"
        )
