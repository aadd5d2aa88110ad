"""``story-gen logout``: revoke the saved token on the server and forget it here."""

from __future__ import annotations

import click

from story_gen.cli._account import client_for, credentials_path, forget, load
from story_gen.client import ClientError


@click.command("logout")
def command() -> None:
    """Sign out: the token is revoked and removed from this computer."""
    if not credentials_path().exists():
        click.echo("not signed in")
        return
    account = load()
    try:
        with client_for(account) as client:
            client.logout()
    except ClientError as error:
        # Forgetting it here is what the writer asked for; say that the server did not hear.
        click.echo(f"story-gen: the server was not told ({error}); the token expires by itself")
    forget()
    click.echo(f"signed out of {account.api}")
