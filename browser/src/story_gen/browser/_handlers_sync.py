"""Account and sync handlers: sign up, sign in, sign out, the status, sync now.

Handlers run under the request lock, so none of them waits for a sync: ``sync.now`` starts one
in the background and answers the status at once (pushes ``sync.status`` follow). Signing in
does wait for the API's answer to the sign-in itself: the writer is in the sign-in dialog.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from story_gen.browser._handler_base import Args, NoArgs
from story_gen.browser._registry import handler
from story_gen.browser._service import Studio
from story_gen.browser.sync import SyncStatus

ApiUrl = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2000, pattern=r"^https?://"),
]
Email = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=320)]
Password = Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class SignInArgs(Args):
    api_url: ApiUrl = Field(description="The sync API's base URL, e.g. https://api.example.org.")
    email: Email
    password: Password
    upload_local: bool = Field(
        default=True,
        description="Upload the stories on this device to the account (matched by id: a story "
        "already there is merged, never copied). False keeps them on this device only.",
    )


class SignUpArgs(SignInArgs):
    display_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""


@handler("account.sign_up")
async def account_sign_up(studio: Studio, args: SignUpArgs) -> SyncStatus:
    """Create an account on the sync API, then sign in to it."""
    name = args.display_name or args.email.split("@")[0]
    await studio.sync.sign_up(args.api_url, args.email, args.password, name)
    await studio.sync.sign_in(
        args.api_url, args.email, args.password, upload_local=args.upload_local
    )
    return studio.sync.status()


@handler("account.sign_in")
async def account_sign_in(studio: Studio, args: SignInArgs) -> SyncStatus:
    """Sign in; the first sync starts in the background (``sync.status`` pushes follow)."""
    await studio.sync.sign_in(
        args.api_url, args.email, args.password, upload_local=args.upload_local
    )
    return studio.sync.status()


@handler("account.sign_out")
async def account_sign_out(studio: Studio, args: NoArgs) -> SyncStatus:
    """Sign out: the token is revoked; the stories stay on this device."""
    await studio.sync.sign_out()
    return studio.sync.status()


@handler("sync.status")
async def sync_status(studio: Studio, args: NoArgs) -> SyncStatus:
    """Where sync stands: the status chip's text."""
    return studio.sync.status()


@handler("sync.now")
async def sync_now(studio: Studio, args: NoArgs) -> SyncStatus:
    """Sync now, in the background (the UI calls this on focus, when back online and every
    minute while visible); answers the status at once."""
    studio.sync.kick_now()
    return studio.sync.status()
