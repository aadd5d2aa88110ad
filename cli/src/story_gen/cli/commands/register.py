"""``story-gen register --api URL --email EMAIL [--name NAME]``: make an account, then sign in
(the password as for ``login``: ``STORY_GEN_PASSWORD`` or a prompt, at least 12 characters)."""

from __future__ import annotations

import click

from story_gen.cli._account import Account, password, save
from story_gen.cli._api_errors import reported
from story_gen.client import StoryApiClient


@click.command("register")
@click.option("--api", "api", required=True, help="The sync API's base URL.")
@click.option("--email", required=True, help="The new account's e-mail address.")
@click.option("--name", "display_name", default=None, help="Display name (default: the e-mail).")
def command(api: str, email: str, display_name: str | None) -> None:
    """Create an account on a sync API and sign in."""
    secret = password()
    with reported(), StoryApiClient(api) as client:
        client.register(email, secret, display_name or email.split("@", 1)[0])
        token = client.login(email, secret)
    path = save(Account(api=api, email=email, token=token.access_token))
    click.echo(f"registered and signed in as {email} on {api} (token in {path})")
