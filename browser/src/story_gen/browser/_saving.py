"""Storing a session's story: compare-and-swap on the stored revision, merging when another
tab wrote first (docs/studio-service.md, "Never losing an edit").

- An accepted edit is committed (strict durability) before the reply says ``saved``.
- If storage fails (quota, any IndexedDB error) the edit stays in the session
  (``saved: false``), a ``storage.error`` push tells the UI and the StorageError goes to the
  reply; the next save of that story writes it.
- When another tab wrote first, the story is three-way merged (base = the revision this tab's
  work started from, ours = this tab's story, theirs = the stored head) with the core's merge,
  the merge is stored, ``story.changed`` pushed and the other tabs told.
- The session's pending undo steps are stored after the story and before the other tabs hear
  of it (ADR 0091).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from datetime import datetime
from enum import Enum

from story_gen.browser import _analysis
from story_gen.browser._errors import StorageError
from story_gen.browser._history import HistoryWrite
from story_gen.browser._messages import Notices, Pushes
from story_gen.browser._sessions import Session, story_state
from story_gen.browser._store import PERSIST_REQUESTED, StoryStore, build_record

__all__ = ["CAS_ATTEMPTS", "Keep", "Persistence", "Saver"]

CAS_ATTEMPTS = 8


class Keep(Enum):
    """``save(deleted_at_utc=Keep.KEEP)``: leave the story's trash state as stored."""

    KEEP = "keep"


class Persistence:
    """Asks the browser, once, not to evict the stories: after the writer's first save."""

    def __init__(self, store: StoryStore, request: Callable[[], Awaitable[bool]]) -> None:
        self._store = store
        self._request = request
        self.requested = False

    async def load(self) -> None:
        self.requested = bool(await self._store.get_meta(PERSIST_REQUESTED))

    async def after_save(self) -> None:
        if not self.requested:
            self.requested = True
            await self._request()
            # Asked once in this session anyway; asking again next time is harmless.
            with contextlib.suppress(StorageError):
                await self._store.set_meta(PERSIST_REQUESTED, True)


class Saver:
    def __init__(
        self,
        store: StoryStore,
        pushes: Pushes,
        notices: Notices,
        persistence: Persistence,
        now: Callable[[], datetime],
    ) -> None:
        self._store = store
        self._pushes = pushes
        self._notices = notices
        self._persistence = persistence
        self._now = now

    async def save(
        self, session: Session, *, deleted_at_utc: datetime | Keep | None = Keep.KEEP
    ) -> None:
        """Commit the session's current story after its head; merge when another tab won.

        On a storage failure the story stays in ``session.current`` (``saved: false``),
        a ``storage.error`` push tells the UI, and the StorageError propagates to the reply.
        """
        keep = isinstance(deleted_at_utc, Keep)
        deleted = (
            session.head.summary.deleted_at_utc
            if isinstance(deleted_at_utc, Keep)
            else deleted_at_utc
        )
        if not session.dirty and deleted == session.head.summary.deleted_at_utc:
            return
        base = session.head_story
        expected = session.head.summary.revision
        ours = session.current
        merged = False
        try:
            for _ in range(CAS_ATTEMPTS):
                session.diagnoser.diagnose(ours.blueprint)
                record = build_record(
                    ours,
                    revision=expected + 1,
                    problem_counts=session.diagnoser.counts(),
                    deleted_at_utc=deleted,
                    pending_through=session.pending_through,
                )
                outcome = await self._store.put_if_revision(record, expected)
                if outcome.ok:
                    session.head, session.head_story, session.current = record, ours, ours
                    break
                theirs = outcome.current
                if theirs is None:
                    # Emptied from the trash by another tab while we edited: store ours
                    # again as a new first revision rather than lose it.
                    expected = 0
                    continue
                their_story = theirs.story()
                # Another tab may have applied later pending edits: the story holds both.
                session.pending_applied = max(session.pending_applied, theirs.pending_through)
                ours = _analysis.merge_stories(base, ours, their_story, now=self._now())
                base, expected, merged = their_story, theirs.summary.revision, True
                if keep:
                    deleted = theirs.summary.deleted_at_utc
            else:
                raise StorageError("the story kept changing in other tabs; try again")
        except StorageError as error:
            if merged:
                # Keep the merge (it holds both tabs' work) as what the writer sees.
                session.current = ours
            session.unsaved = error
            self._pushes.storage_error(session.current.story_id, error)
            raise
        session.unsaved = None
        session.merged = merged
        await self._persistence.after_save()
        # Before the notice: the other tabs hear of the change once everything is written.
        await self.store_history(session)
        self._notices.tell("story.saved", session.current.story_id, expected + 1)
        if merged:
            self._pushes.push("story.changed", story_state(session))

    async def retry_unsaved(self, session: Session) -> None:
        if session.dirty:
            await self.save(session)

    async def store_history(self, session: Session) -> None:
        """Store the session's pending undo steps. The story is what must not be lost: a step
        that fails to store stays pending and goes with the next write."""
        write = session.history_unsaved
        if not write:
            return
        try:
            await self._store.write_history(session.story_id, write)
        except StorageError:
            return
        session.history_unsaved = HistoryWrite()
