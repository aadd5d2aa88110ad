"""``story-gen backup DEST``: a consistent, timestamped snapshot of a deployment.

The deployment is the one the ``STORY_GEN_*`` settings describe (the same variables the API
reads: database URL, blob store). DEST is a folder or ``s3://bucket/prefix``; the snapshot goes
into a new ``story-gen-backup-<UTC time>`` inside it. See docs/cli.md and docs/deployment.md.
"""

from __future__ import annotations

import json

import click

from story_gen.cli.commands._deployment import deployment_services


@click.command("backup")
@click.argument("dest")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def command(dest: str, as_json: bool) -> None:
    """Back up the database and the blobs it references to DEST (folder or s3://...)."""
    from story_gen.sync_api.backup import BackupError, write_backup

    services = deployment_services()
    try:
        report = write_backup(services, dest)
    except BackupError as error:
        click.echo(f"story-gen backup: {error}", err=True)
        raise SystemExit(1) from None
    finally:
        services.db.dispose()
    if as_json:
        click.echo(json.dumps(report.__dict__))
    else:
        click.echo(
            f"backup written to {report.location}: {report.stories} stories, "
            f"{report.revisions} revisions, {report.blobs} blobs, {report.bytes} bytes"
        )
