"""``story-gen login --api URL --email EMAIL``: sign in and keep the token for pull/push/sync.

The password comes from ``STORY_GEN_PASSWORD`` (for scripts) or is asked without echo. The
token is saved under the user's config folder (``$XDG_CONFIG_HOME/story-gen/``), mode 0600.
"""

from __future__ import annotations

import click

from story_gen.cli._account import Account, password, save
from story_gen.cli._api_errors import reported
from story_gen.client import StoryApiClient


@click.command("login")
@click.option("--api", "api", required=True, help="The sync API's base URL.")
@click.option("--email", required=True, help="The account's e-mail address.")
def command(api: str, email: str) -> None:
    """Sign in to a sync API; the token is kept for pull, push and sync."""
    with reported(), StoryApiClient(api) as client:
        token = client.login(email, password())
        user = client.me()
    path = save(Account(api=api, email=email, token=token.access_token))
    click.echo(f"signed in as {user.email} on {api} (token in {path})")
