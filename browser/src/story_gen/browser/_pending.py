"""Edits typed before the core was ready: applied through the core, in order, exactly once.

While Python boots, the UI thread keeps each text edit the writer makes in IndexedDB store
``pending`` (``browser/js/host.mjs`` ``openPendingQueue``): the same :data:`EditOp` records
``story.apply_edit`` takes, with an auto-increment id that orders them. Here the service reads
them, applies each story's edits through the core (:meth:`Editing.replay`: one core edit per
op, followed by the diagnoser, one undo step) and stores the story. The write carries the last
applied id (``pending_through``): the story and that id are stored, and the applied records
deleted, in one transaction, so a crash can never leave a story without its edits or apply an
edit twice; a record the story already holds (id <= its ``pending_through``) is only deleted.

A record the core refuses (the chapter it names was deleted in another tab, say) is reported
in the result and dropped with the others: the story cannot hold it, and keeping it would
refuse it again on every start.
"""

from __future__ import annotations

import functools
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from story_gen.browser._editing import Editing
from story_gen.browser._edits import EditOp
from story_gen.browser._errors import NotFoundError
from story_gen.browser._sessions import Sessions
from story_gen.browser._store import StoryStore

__all__ = ["PendingEdits", "PendingRecord", "Replayed"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class PendingRecord(_Model):
    """One record of the ``pending`` store (its op checked on its own, below)."""

    id: int = Field(ge=1)
    story_id: UUID
    op: EditOp
    at_utc: str


class Replayed(_Model):
    """What applying one story's pending edits did."""

    story_id: UUID
    applied: int = Field(ge=0, description="Edits applied through the core.")
    refused: list[str] = Field(
        default_factory=list, description="Why each edit the core refused was dropped."
    )
    saved: bool = Field(description="Stored (with the applied records deleted) before replying.")


@functools.cache
def _records() -> TypeAdapter[list[dict[str, object]]]:
    return TypeAdapter(list[dict[str, object]])


def _parse(raw: dict[str, object]) -> tuple[int, UUID | None, PendingRecord | str]:
    """The record, or why it cannot be one (with its id and story when those can be read)."""
    number = raw.get("id")
    ident = number if isinstance(number, int) else 0
    story: UUID | None
    try:
        story = UUID(str(raw.get("story_id")))
    except ValueError:
        story = None
    try:
        return ident, story, PendingRecord.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return (
            ident,
            story,
            f"edit {ident} is not an edit the studio knows ({where}: {first['msg']})",
        )


class PendingEdits:
    def __init__(self, store: StoryStore, sessions: Sessions, editing: Editing) -> None:
        self._store = store
        self._sessions = sessions
        self._editing = editing

    async def apply(self) -> list[Replayed]:
        """Apply every story's pending edits, in id order, and store each story once.

        A storage failure keeps the story's edits in its session (``saved: false``, retried
        by the next save) and its records in IndexedDB (so a closed tab loses nothing)."""
        by_story: dict[UUID, list[PendingRecord]] = {}
        broken: list[int] = []
        refusals: dict[UUID, list[str]] = {}
        for raw in _records().validate_json(await self._store.pending()):
            ident, story, parsed = _parse(raw)
            if isinstance(parsed, PendingRecord):
                by_story.setdefault(parsed.story_id, []).append(parsed)
            else:
                broken.append(ident)
                if story is not None:
                    refusals.setdefault(story, []).append(parsed)
        await self._store.delete_pending([ident for ident in broken if ident > 0])
        done: list[Replayed] = []
        for story_id, records in by_story.items():
            done.append(await self._apply_story(story_id, records, refusals.pop(story_id, [])))
        return done

    async def _apply_story(
        self, story_id: UUID, records: list[PendingRecord], refused: list[str]
    ) -> Replayed:
        try:
            session = await self._sessions.get(story_id, allow_deleted=True)
        except NotFoundError:
            # Emptied from the trash for good: there is no story left to hold them.
            await self._store.delete_pending([r.id for r in records])
            return Replayed(story_id=story_id, applied=0, refused=refused, saved=True)
        held = session.pending_through
        fresh = sorted((r for r in records if r.id > held), key=lambda r: r.id)
        # Already in the stored story (a crash after the commit, before a delete elsewhere).
        await self._store.delete_pending([r.id for r in records if r.id <= held])
        if not fresh:
            return Replayed(story_id=story_id, applied=0, refused=refused, saved=True)
        replay = await self._editing.replay(session, [r.op for r in fresh], through=fresh[-1].id)
        return Replayed(
            story_id=story_id,
            applied=replay.applied,
            refused=[*refused, *replay.refused],
            saved=replay.saved,
        )
