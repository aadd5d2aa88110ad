"""Account and sync handlers: sign up, sign in, sign out, the status, sync now, and a story's
history on the account (its revisions, one of them to read, restoring one).

Handlers run under the request lock, so none of them waits for a sync: ``sync.now`` starts one
in the background and answers the status at once (pushes ``sync.status`` follow). Signing in
does wait for the API's answer to the sign-in itself: the writer is in the sign-in dialog.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from story_gen.browser._handler_base import Args, NoArgs, Result
from story_gen.browser._handlers_story import ConflictsResolveArgs, conflicts_resolve
from story_gen.browser._registry import handler
from story_gen.browser._service import Studio
from story_gen.browser._views import StoryState
from story_gen.browser.sync import SyncStatus
from story_gen.browser.sync._history import REVISIONS_SHOWN, RevisionLine
from story_gen.core import Story

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
    device: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)] | None
    ) = Field(
        default=None,
        description="This device's name for the account's history (\"Firefox on Linux\"), "
        "sent with each push (ADR 0109).",
    )


class SignUpArgs(SignInArgs):
    display_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""


@handler("account.sign_up")
async def account_sign_up(studio: Studio, args: SignUpArgs) -> SyncStatus:
    """Create an account on the sync API, then sign in to it."""
    name = args.display_name or args.email.split("@")[0]
    await studio.sync.sign_up(args.api_url, args.email, args.password, name)
    await studio.sync.sign_in(
        args.api_url,
        args.email,
        args.password,
        upload_local=args.upload_local,
        device=args.device,
    )
    return studio.sync.status()


@handler("account.sign_in")
async def account_sign_in(studio: Studio, args: SignInArgs) -> SyncStatus:
    """Sign in; the first sync starts in the background (``sync.status`` pushes follow)."""
    await studio.sync.sign_in(
        args.api_url,
        args.email,
        args.password,
        upload_local=args.upload_local,
        device=args.device,
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
    await studio.sync.follow()
    return studio.sync.status()


@handler("sync.now")
async def sync_now(studio: Studio, args: NoArgs) -> SyncStatus:
    """Sync now, in the background (the UI calls this on focus, when back online and every
    minute while visible); answers the status at once. In a tab that does not sync (another
    tab of this browser does), the status as that tab stored it."""
    await studio.sync.follow()
    studio.sync.kick_now()
    return studio.sync.status()


# ---------------------------------------------------------------- history on the account


class HistoryRevisionsArgs(Args):
    story_id: UUID
    limit: int = Field(default=REVISIONS_SHOWN, ge=1, le=200)


class HistoryRevisionsResult(Result):
    revisions: list[RevisionLine] = Field(description="Newest first.")


@handler("history.revisions")
async def history_revisions(studio: Studio, args: HistoryRevisionsArgs) -> HistoryRevisionsResult:
    """The story's revisions on the account: time, how it was made, what changed (the core's
    ``describe``). Needs the network and a sign-in (``sync.offline`` / ``sync.signed_out``)."""
    return HistoryRevisionsResult(revisions=await studio.sync.revisions(args.story_id, args.limit))


class HistoryRevisionArgs(Args):
    story_id: UUID
    revision: int = Field(ge=1)


class HistoryRevisionResult(Result):
    revision: int
    story: Story


@handler("history.revision")
async def history_revision(studio: Studio, args: HistoryRevisionArgs) -> HistoryRevisionResult:
    """One revision of the story, to read (nothing changes)."""
    story = await studio.sync.revision(args.story_id, args.revision)
    return HistoryRevisionResult(revision=args.revision, story=story)


@handler("history.restore")
async def history_restore(studio: Studio, args: HistoryRevisionArgs) -> StoryState:
    """Make the story what it was at that revision, as a new edit on this device (undoable;
    it syncs like any edit and becomes the account's next revision). Conflicts still open
    now are kept."""
    old = await studio.sync.revision(args.story_id, args.revision)
    session = await studio.sessions.get(args.story_id)
    story = session.current.model_copy(
        update={"title": old.title, "blueprint": old.blueprint, "updated_at_utc": studio.now()}
    )
    state = await studio.editing.change(session, story, label=f"restoring revision {args.revision}")
    # Asked for from the history panel, not the editor: the editor hears it as a change.
    studio.pushes.push("story.changed", state)
    return state


@handler("sync.resolve_conflict")
async def sync_resolve_conflict(studio: Studio, args: ConflictsResolveArgs) -> StoryState:
    """``conflicts.resolve`` from the conflict view (keep mine / theirs / a merged value); the
    editor, which did not ask, hears the new story as a ``story.changed`` push."""
    state = await conflicts_resolve(studio, args)
    studio.pushes.push("story.changed", state)
    return state
