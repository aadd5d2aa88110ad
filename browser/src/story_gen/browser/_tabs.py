"""Other tabs: taking in what they stored, from their notices or on opening a story.

Every tab has its own worker and service over the one story database. A notice
(:class:`~story_gen.browser._messages.Notice`) says another tab stored a story or changed the
library; this tab re-lists the library and catches up the open session, merging its own
unsaved work onto their head, never dropping it. A notice is handled under the request lock,
so a session is never read half-updated across an ``await``.
"""

from __future__ import annotations

import asyncio
import contextlib
import traceback
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from story_gen.browser import _analysis
from story_gen.browser._errors import NotFoundError, StorageError, StudioError
from story_gen.browser._host import Host
from story_gen.browser._messages import LibraryChanged, Notice, Pushes
from story_gen.browser._saving import Saver
from story_gen.browser._sessions import Session, Sessions, story_state
from story_gen.browser._store import StoryStore

__all__ = ["OtherTabs"]

Spawn = Callable[[Coroutine[Any, Any, None]], None]


class OtherTabs:
    def __init__(
        self,
        host: Host,
        store: StoryStore,
        sessions: Sessions,
        saver: Saver,
        pushes: Pushes,
        *,
        lock: asyncio.Lock,
        spawn: Spawn,
        now: Callable[[], datetime],
    ) -> None:
        self._host = host
        self._store = store
        self._sessions = sessions
        self._saver = saver
        self._pushes = pushes
        self._lock = lock
        self._spawn = spawn
        self._now = now
        self._unsubscribe: Callable[[], None] | None = None

    def listen(self) -> None:
        if self._unsubscribe is None:
            self._unsubscribe = self._host.subscribe(self._on_message)

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _on_message(self, message: str) -> None:
        self._spawn(self._handle(message))

    async def _handle(self, message: str) -> None:
        try:
            notice = Notice.model_validate_json(message)
        except ValidationError:
            return  # not ours (another app on the channel) or from a newer studio
        if notice.type == "sync.account":
            return  # about the account, not a story: the sync client hears it itself
        try:
            async with self._lock:
                await self.apply(notice)
        except StudioError as error:
            self._pushes.storage_error(notice.story_id, error)
        except Exception as error:
            traceback.print_exc()
            self._pushes.storage_error(notice.story_id, StudioError(str(error)))

    async def apply(self, notice: Notice) -> None:
        """Take in a story another writer stored (another tab, or sync): re-list, catch up."""
        self._pushes.push("library.changed", LibraryChanged(story_id=notice.story_id))
        session = self._sessions.held(notice.story_id)
        if session is None or notice.revision <= session.head.summary.revision:
            return
        with contextlib.suppress(NotFoundError):
            await self.catch_up(session, push=True)

    async def catch_up(self, session: Session, *, push: bool = False) -> None:
        """Take in whatever other tabs stored since this tab's head (a notice may be missed:
        a tab that was asleep); this tab's unsaved work is merged onto it, never dropped."""
        stored = await self._store.get(session.story_id)
        if stored is None:
            if session.dirty:
                return  # our kept work will store it again as a new story on the next save
            self._sessions.forget(session.story_id)
            raise NotFoundError(f"The story {session.current.title!r} was deleted for good.")
        if stored.summary.revision <= session.head.summary.revision:
            return
        theirs = stored.story()
        if session.dirty:
            # Our unsaved work merges onto their head; then we try to store the merge.
            merged = _analysis.merge_stories(
                session.head_story, session.current, theirs, now=self._now()
            )
            session.head, session.head_story, session.current = stored, theirs, merged
            session.merged = True
            # A failure is already pushed as storage.error; the work stays in the session.
            with contextlib.suppress(StorageError):
                await self._saver.save(session)
        else:
            session.head, session.head_story, session.current = stored, theirs, theirs
            session.merged = True
        if push:
            self._pushes.push("story.changed", story_state(session))
