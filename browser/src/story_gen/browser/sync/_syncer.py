"""The studio's sync client: the account, the outbox and one sync cycle, over :class:`Http`.

The protocol itself (what to send, what an answer does to the outbox, merges, conflicts,
deletes) is the client's :class:`~story_gen.client.SyncEngine`, the very code the CLI and the
Python client run; this module only feeds it the studio's saves, sends what it asks over
``fetch``, keeps its state in IndexedDB and stores what comes back (docs/sync-protocol.md,
"The studio's client").

One tab per browser profile syncs (ADR 0108): the tab holding the profile's Web Lock (the
host's ``sync_lead``) runs the cycles; the others follow the stored replica and leave the
network to it, and their saves reach it as the other-tab notices they already send. Without
Web Locks every tab syncs, as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import traceback
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar
from uuid import UUID

from pydantic import ValidationError

from story_gen.browser._errors import StudioError
from story_gen.browser.sync import _calls, _local
from story_gen.browser.sync._history import REVISIONS_SHOWN, RevisionLine, describe_revisions
from story_gen.browser.sync._http import Http, HttpFailedError
from story_gen.browser.sync._replica import REPLICA_KEY, SYNCED_AT_KEY, Account, Replica
from story_gen.browser.sync._scheduler import Scheduler
from story_gen.browser.sync._sides import my_side
from story_gen.browser.sync._status import Phase, SyncStatus
from story_gen.client import calls
from story_gen.client.errors import ApiError
from story_gen.client.sync_engine import SyncEngine, SyncReport
from story_gen.core import Story

if TYPE_CHECKING:
    from story_gen.browser._service import Studio

__all__ = ["BATCH", "ROUNDS", "Syncer"]

T = TypeVar("T")

BATCH = 50
ROUNDS = 4
"""Push, pull, push what the pull merged: a few rounds settle any burst."""


class Syncer:
    def __init__(self, studio: Studio, http: Http | None, *, background: bool = True) -> None:
        """``background=False``: sync only when :meth:`sync_now` is awaited (tests)."""
        self._studio = studio
        self._http = http
        self._background = background
        self.replica = Replica()
        self.engine = SyncEngine(self.replica.state)
        self._phase: Phase = "local"
        self._message: str | None = None
        self._revived: set[UUID] = set()
        self._rejections: str | None = None
        self._cycle_lock = asyncio.Lock()
        self.leading = False
        """This tab syncs (elected, or no Web Locks); until then it follows the stored state."""
        self._stored_text: str | None = None
        """The replica as this tab last read or wrote it: another tab's write differs."""
        self._has_read = False
        self._stale = False
        """Another tab signed in or out: read the stored replica before the next cycle."""
        self._dirty = False
        """The replica changed since it was last saved (a cycle that changed nothing, the
        periodic pull's usual case, writes only the time it ended)."""
        self._election: asyncio.Task[None] | None = None
        self.scheduler = self._new_scheduler()

    def _new_scheduler(self) -> Scheduler:
        scheduler = Scheduler(self._background_cycle)
        scheduler.enabled = self._background and self.leading
        return scheduler

    # ------------------------------------------------------------ lifecycle
    async def load(self) -> None:
        await self._read()
        # Waiting for the lock must not hold up the start: it may never come (another tab
        # holds it). A free lock is granted at once: the first tab syncs from its start.
        self._election = asyncio.ensure_future(self._elect())
        await asyncio.sleep(0)

    async def _read(self) -> None:
        """Take the stored replica (when another tab changed it since this one last did)."""
        text = await self._studio.host.get_meta(REPLICA_KEY)
        if self._has_read and text == self._stored_text:
            return
        self._stored_text, self._has_read, self._stale = text, True, False
        self.replica = Replica()
        if text is not None:
            # From a newer studio: start over, nothing local lost.
            with contextlib.suppress(ValidationError):
                self.replica = Replica.model_validate_json(text)
        self.engine = SyncEngine(self.replica.state)
        synced_at = await self._studio.host.get_meta(SYNCED_AT_KEY)
        if synced_at is not None and self.replica.account is not None:
            with contextlib.suppress(ValueError):
                at = datetime.fromisoformat(json.loads(synced_at))
                last = self.replica.last_synced_at_utc
                if last is None or at > last:
                    self.replica.last_synced_at_utc = at
        account = self.replica.account
        if account is None:
            self._phase = "local"
        elif account.expired or account.token is None:
            self._phase = "signed_out"
        else:
            self._phase = "synced" if self.replica.last_synced_at_utc else "syncing"

    async def _elect(self) -> None:
        await self._studio.host.sync_lead()
        # The tab that synced before may have written the replica since this one read it.
        await self._read()
        self.leading = True
        self.scheduler.enabled = self._background
        if self.signed_in():
            self.scheduler.kick(0)

    async def follow(self) -> None:
        """A tab that does not sync: catch up with what the syncing tab stored."""
        if not self.leading:
            await self._read()

    def heard(self, message: str) -> None:
        """Another tab stored something, or signed in or out: the syncing tab syncs soon (after
        a sign-in or out, its cycle starts by taking the stored account)."""
        if '"sync.account"' in message:
            self._stale = True
        if self.leading:
            self.scheduler.kick()

    async def _save(self) -> None:
        self.replica.state = self.engine.state
        text = self.replica.model_dump_json()
        await self._studio.host.set_meta(REPLICA_KEY, text)
        self._stored_text, self._dirty = text, False

    def stored(self) -> None:
        """A story was stored on this device: push it soon (if signed in)."""
        if self.signed_in():
            self.scheduler.kick()

    def kick_now(self) -> None:
        """Sync at once (focus, back online, the periodic pull), cutting a backoff short."""
        if self.signed_in():
            self.scheduler.kick(0)

    def close(self) -> None:
        self.scheduler.stop()
        if self._election is not None:
            self._election.cancel()

    # ------------------------------------------------------------ account
    def _http_or_fail(self) -> Http:
        if self._http is None:
            raise StudioError("This studio cannot reach the network.", type="sync.unavailable")
        return self._http

    async def sign_up(self, api_url: str, email: str, password: str, display_name: str) -> None:
        await self._ask(api_url, calls.register(email, password, display_name))

    async def sign_in(
        self,
        api_url: str,
        email: str,
        password: str,
        *,
        upload_local: bool,
        device: str | None = None,
    ) -> None:
        token = await self._ask(api_url, calls.login(email, password))
        user = await self._ask(api_url, calls.me(), token=token.access_token)
        await self.follow()
        previous = self.replica.account
        if previous is None or previous.user_id != user.user_id or previous.api_url != api_url:
            # Another account (or none before): this device's replica starts afresh.
            self.replica = Replica()
            if not upload_local:
                summaries = await self._studio.store.summaries()
                self.replica.local_only = {s.story_id for s in summaries}
            self.engine = SyncEngine(self.replica.state)
        self.replica.account = Account(
            api_url=api_url,
            email=user.email,
            display_name=user.display_name,
            user_id=user.user_id,
            token=token.access_token,
            expires_at_utc=token.expires_at_utc,
            device=device,
        )
        self._phase, self._message = "syncing", None
        await self._save()
        self._studio.notices.account_changed()
        self.scheduler.stop()
        self.scheduler = self._new_scheduler()
        self.scheduler.kick(0)

    async def sign_out(self) -> None:
        await self.follow()
        account = self.replica.account
        if account is not None and account.token is not None and self._http is not None:
            # The token expires on its own: signing out here never waits for the API.
            with contextlib.suppress(ApiError, HttpFailedError):
                await _calls.execute(
                    self._http, account.api_url, calls.logout(), token=account.token
                )
        self.scheduler.stop()
        self.scheduler = self._new_scheduler()
        self.replica = Replica()
        self.engine = SyncEngine(self.replica.state)
        self._phase, self._message = "local", None
        await self._save()
        self._studio.notices.account_changed()
        self._push_status()

    async def _ask(self, api_url: str, call: calls.Call[T], *, token: str | None = None) -> T:
        try:
            return await _calls.execute(self._http_or_fail(), api_url, call, token=token)
        except HttpFailedError as error:
            raise StudioError(
                f"The sync API at {api_url} did not answer ({error}). Check the address and "
                "your connection, then try again.",
                type="sync.offline",
            ) from None
        except ApiError as error:
            raise StudioError(error.message or str(error), type=f"sync.{error.code}") from None

    async def _ask_account(self, call: calls.Call[T]) -> T:
        """A call on the signed-in account, now (the writer asked: the history panel)."""
        account = self.replica.account
        if account is None or account.token is None or account.expired:
            raise StudioError(
                "Sign in to see this story's history on your account.", type="sync.signed_out"
            )
        try:
            return await _calls.execute(
                self._http_or_fail(), account.api_url, call, token=account.token
            )
        except HttpFailedError:
            raise StudioError(
                "The sync server cannot be reached now; the history is on the account. Try "
                "again when you are back online.",
                type="sync.offline",
            ) from None
        except ApiError as error:
            if error.status == 401:
                account.token, account.expired = None, True
                if self.leading:  # a follower's replica may be behind: never write it back
                    await self._save()
                self.scheduler.stop()
                self._set("signed_out", "Your sign-in has expired: sign in again to sync.")
            raise StudioError(error.message or str(error), type=f"sync.{error.code}") from None

    async def revisions(self, story_id: UUID, limit: int = REVISIONS_SHOWN) -> list[RevisionLine]:
        """The story's newest revisions on the account, each with what changed."""
        infos = (await self._ask_account(calls.revisions(story_id)))[:limit]
        stories: dict[int, Story] = {}
        wanted = {info.revision for info in infos}
        if infos:
            wanted.add(min(wanted) - 1)
        for number in sorted(n for n in wanted if n >= 1):
            record = await self._ask_account(calls.revision(story_id, number))
            stories[number] = record.to_story()
        return describe_revisions(infos, stories)

    async def revision(self, story_id: UUID, number: int) -> Story:
        record = await self._ask_account(calls.revision(story_id, number))
        return record.to_story()

    def signed_in(self) -> bool:
        account = self.replica.account
        return account is not None and account.token is not None and not account.expired

    # ------------------------------------------------------------ status
    def status(self) -> SyncStatus:
        account = self.replica.account
        waiting = 0
        conflicted: list[UUID] = []
        for story_id, tracked in self.engine.state.stories.items():
            if tracked.pending is not None or tracked.local != tracked.shadow:
                waiting += 1
            if tracked.local is not None and tracked.local.conflicts:
                conflicted.append(story_id)
        return SyncStatus(
            phase=self._phase,
            email=account.email if account else None,
            api_url=account.api_url if account else None,
            waiting=waiting,
            last_synced_at_utc=self.replica.last_synced_at_utc,
            message=self._message,
            conflicted_story_ids=sorted(conflicted),
            my_side=dict(self.replica.my_side),
            revived_story_ids=sorted(self._revived),
        )

    def _set(self, phase: Phase, message: str | None = None) -> None:
        self._phase, self._message = phase, message
        self._push_status()

    def _push_status(self) -> None:
        self._studio.pushes.push("sync.status", self.status())

    # ------------------------------------------------------------ one cycle
    async def _background_cycle(self) -> bool:
        try:
            await self.sync_now()
        except StudioError:
            return True  # storage failed: already pushed as storage.error; no network backoff
        except Exception as error:
            # Never a silent stop with the chip on "syncing": say so, and try again later.
            traceback.print_exc()
            self._set(
                "problem",
                f"Sync stopped on an unexpected error ({type(error).__name__}: {error}). "
                "Your changes are kept on this device; sync tries again by itself.",
            )
            return False
        return self._phase not in ("offline", "problem")

    async def sync_now(self) -> SyncStatus:
        """Push what waits and pull what changed, now; the status it ends in."""
        async with self._cycle_lock:
            if not self.leading:
                await self._read()
                return self.status()
            if self._stale or not self.signed_in():
                await self._read()  # a sign-in or out in another tab
            account = self.replica.account
            if account is None or account.token is None or account.expired or self._http is None:
                return self.status()
            self._set("syncing")
            try:
                await self._cycle(self._http, account)
            except HttpFailedError:
                await self._save()
                self._set("offline")
            except ApiError as error:
                await self._save()
                if error.status == 401:
                    account.token, account.expired = None, True
                    await self._save()
                    self.scheduler.stop()
                    self._set(
                        "signed_out",
                        "Your sign-in has expired: sign in again to sync. "
                        "Your changes are kept on this device meanwhile.",
                    )
                else:
                    self._set(
                        "problem",
                        f"The sync API refused ({error.status} {error.code}: "
                        f"{error.message}). Your changes are kept on this device; "
                        "sync tries again by itself.",
                    )
            else:
                self.replica.last_synced_at_utc = self._studio.now()
                if self._dirty:
                    await self._save()
                await self._studio.host.set_meta(
                    SYNCED_AT_KEY, json.dumps(self.replica.last_synced_at_utc.isoformat())
                )
                self._set("synced" if not self._rejections else "problem", self._rejections)
            return self.status()

    async def _cycle(self, http: Http, account: Account) -> None:
        self._rejections = None
        token = account.token
        if self.engine.pull_cursor() is None:
            # First sync of this account here: know the account's stories first, so a local
            # story already on the account is matched by its id, never uploaded as a copy.
            await self._pull(http, account.api_url, token)
        if await _local.take_in(self._studio, self.engine, self.replica):
            self._dirty = True
        for _ in range(ROUNDS):
            changes = self.engine.outgoing(BATCH)
            if changes:
                # Frozen changes are saved before they leave: a reload mid-push sends the very
                # same change_ids again, and the server answers them from storage.
                await self._save()
                answer = await _calls.execute(
                    http, account.api_url, calls.push(changes, account.device), token=token
                )
                before = self.engine.stories()
                report = self.engine.apply_push(answer)
                await self._took(report, before)
            await self._pull(http, account.api_url, token)
            if await _local.take_in(self._studio, self.engine, self.replica):
                self._dirty = True
            if not self.engine.outgoing(BATCH):
                break

    def _note_sides(self, story_ids: set[UUID], before: dict[UUID, Story]) -> None:
        stories = self.engine.stories()
        for story_id in story_ids:
            story, mine = stories.get(story_id), before.get(story_id)
            if story is None or mine is None:
                continue
            for conflict in story.conflicts:
                if conflict.conflict_id not in self.replica.my_side:
                    side = my_side(story, conflict, mine)
                    if side is not None:
                        self.replica.my_side[conflict.conflict_id] = side
        live = {c.conflict_id for story in stories.values() for c in story.conflicts}
        self.replica.my_side = {k: v for k, v in self.replica.my_side.items() if k in live}

    async def _pull(self, http: Http, api_url: str, token: str | None) -> None:
        # Saying which revisions this device holds makes the server answer a changed story
        # as the patches from it (ADR 0113): a one-field edit downloads as a few hundred bytes.
        held = set(self.engine.held_revisions())
        while True:
            cursor = self.engine.pull_cursor()
            have = self.engine.held_revisions(among=held)
            call = calls.pull(cursor, BATCH, have)
            answer = await _calls.execute(http, api_url, call, token=token)
            before = self.engine.stories()
            report = self.engine.apply_pull(cursor, answer)
            await self._took(report, before, moved=self.engine.pull_cursor() != cursor)
            # Patches that did not give the server's document leave the cursor: the next page
            # brings those stories whole (they are no longer in ``have``).
            if not answer.has_more and not report.refetch:
                return

    async def _took(
        self, report: SyncReport, before: dict[UUID, Story], *, moved: bool = True
    ) -> None:
        """Store what an answer changed (stories first, then the replica: a crash between
        leaves a stored story the engine takes in again, never one it forgot)."""
        touched = report.changed | report.removed | report.revived
        self._note_sides(touched | set(report.conflicts), before)
        if touched:
            await _local.store(self._studio, self.engine, self.replica, touched, before)
        if moved or touched or report.conflicts or report.rejected or self._dirty:
            await self._save()
        self._revived |= report.revived
        if report.rejected:
            first = report.rejected[0]
            reasons = "; ".join(d.message for d in first.diagnostics) or "no reason given"
            self._rejections = (
                f"The account refused a change to a story ({reasons}). It is kept on this "
                "device; change the story to send it again."
            )
