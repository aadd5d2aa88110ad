"""The stories open in this tab: one session each, with its diagnoser and undo history.

A session is loaded from storage the first time a request names its story and kept until the
tab closes (or the story is emptied from the trash). ``story_state`` is what every reply about
one story says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from story_gen.browser import _analysis
from story_gen.browser._errors import NotFoundError, StorageError
from story_gen.browser._history import History, HistoryWrite
from story_gen.browser._records import StoredStory
from story_gen.browser._store import StoryStore
from story_gen.browser._views import StoryState
from story_gen.core import DiagnosisSession, Story

__all__ = ["Session", "Sessions", "story_state"]


@dataclass
class Session:
    """One open story in this tab.

    ``head`` is the last stored revision this tab knows (the merge base for its next write);
    ``current`` is what the writer sees, ahead of ``head`` while a save is pending or failed.
    """

    head: StoredStory
    head_story: Story
    current: Story
    diagnoser: _analysis.Diagnoser
    history: History
    history_unsaved: HistoryWrite = field(default_factory=HistoryWrite)
    """History changes not stored yet (a failed write is retried with the next one)."""
    unsaved: StorageError | None = None
    merged: bool = False
    pending_applied: int = 0
    """The last pending edit (typed before the core was ready) applied to ``current``."""

    @classmethod
    def of(
        cls,
        head: StoredStory,
        story: Story,
        history: History,
        diagnosis: DiagnosisSession | None = None,
    ) -> Session:
        """``diagnosis``: a session already made on ``story``'s blueprint (when it was opened)."""
        return cls(
            head=head,
            head_story=story,
            current=story,
            diagnoser=_analysis.Diagnoser(story.blueprint, diagnosis),
            history=history,
        )

    @property
    def story_id(self) -> str:
        return str(self.head.summary.story_id)

    @property
    def pending_through(self) -> int:
        """The last pending edit ``current`` holds: applied here or stored with the head."""
        return max(self.head.pending_through, self.pending_applied)

    @property
    def dirty(self) -> bool:
        return (
            self.current is not self.head_story or self.pending_applied > self.head.pending_through
        )


class Sessions:
    """This tab's open sessions, by story id."""

    def __init__(self, store: StoryStore) -> None:
        self._store = store
        self._open: dict[str, Session] = {}

    async def get(self, story_id: UUID | str, *, allow_deleted: bool = False) -> Session:
        """The open session for a story, loading it (and its history) the first time."""
        key = str(story_id)
        session = self._open.get(key)
        if session is None:
            stored = await self._store.get(key)
            if stored is None:
                raise NotFoundError(f"There is no story with the id {key}.")
            opened = stored.opened()
            story = opened.story
            history = History.of(story.story_id, await self._store.history_heads(key))
            session = self._open[key] = Session.of(stored, story, history, opened.session)
        if session.head.summary.deleted and not allow_deleted:
            raise NotFoundError(
                f"The story {session.current.title!r} is in the trash; restore it to edit it."
            )
        return session

    async def full_history(self, session: Session) -> History:
        """The session's history with every step's patches: opening read only their heads."""
        if session.history.partial:
            session.history.fill(await self._store.history(str(session.story_id)))
        return session.history

    def held(self, story_id: UUID | str) -> Session | None:
        """The session if the story is open in this tab (nothing is loaded)."""
        return self._open.get(str(story_id))

    def opened(self, record: StoredStory, story: Story) -> Session:
        """Open a session on a story this tab has just stored for the first time."""
        session = self._open[str(story.story_id)] = Session.of(
            record, story, History(story.story_id)
        )
        return session

    def forget(self, story_id: UUID | str) -> None:
        self._open.pop(str(story_id), None)

    def unsaved_ids(self) -> list[UUID]:
        """The stories holding edits storage refused (kept here until a save succeeds)."""
        return [UUID(key) for key, session in self._open.items() if session.dirty]

    def __contains__(self, story_id: object) -> bool:
        return str(story_id) in self._open


def story_state(
    session: Session, *, include_story: bool = True, diagnostics_pushed: bool = False
) -> StoryState:
    """The reply's view of a session. ``diagnostics_pushed``: a story.diagnosed push gave the
    current story's diagnostics (left out of the reply unless a merge changed the story since)."""
    diagnoser = session.diagnoser
    blueprint = session.current.blueprint
    omitted = diagnostics_pushed and not session.merged
    diagnostics = diagnoser.diagnose(blueprint) if omitted else diagnoser.sent(blueprint)
    return StoryState(
        story_id=session.current.story_id,
        revision=session.head.summary.revision,
        story=session.current if include_story or session.merged else None,
        diagnostics=None if omitted else diagnostics,
        diagnostics_version=diagnoser.version,
        problem_counts=diagnoser.counts(),
        history=session.history.state(),
        saved=not session.dirty,
        unsaved_reason=session.unsaved.message if session.unsaved else None,
        merged=session.merged,
        deleted_at_utc=session.head.summary.deleted_at_utc,
    )
