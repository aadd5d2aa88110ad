"""What handlers read without changing anything: the library, a story as this tab holds it."""

from __future__ import annotations

import contextlib
from uuid import UUID

from story_gen.browser._errors import NotFoundError, StorageError
from story_gen.browser._records import StorySummary
from story_gen.browser._sessions import Sessions
from story_gen.browser._store import LAST_OPENED, StoryStore
from story_gen.core import Story

__all__ = ["Queries"]


class Queries:
    def __init__(self, store: StoryStore, sessions: Sessions) -> None:
        self._store = store
        self._sessions = sessions

    async def summaries(self) -> list[StorySummary]:
        return await self._store.summaries()

    async def current_story(self, story_id: UUID) -> Story:
        """The story as this tab holds it (unsaved edits included), without opening a session."""
        session = self._sessions.held(story_id)
        if session is not None:
            return session.current
        stored = await self._store.get(str(story_id))
        if stored is None:
            raise NotFoundError(f"There is no story with the id {story_id}.")
        return stored.story()

    async def remember_opened(self, story_id: UUID) -> None:
        # Only a convenience for the next visit: never fail an open over it.
        with contextlib.suppress(StorageError):
            await self._store.set_meta(LAST_OPENED, str(story_id))
