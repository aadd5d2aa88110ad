"""Between the engine and the studio's storage: feeding stored edits to the engine
(``take_in``) and storing what the engine got from the account (``store``).

Storing goes through the same compare-and-swap as every save, under the studio's request lock;
a story the writer changed while the answer was on its way is three-way merged (base: the copy
the engine had, ours: the stored story, theirs: the engine's), so typing never loses to sync.
An open story then catches up like after another tab's save, and the other tabs are told.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING
from uuid import UUID

from story_gen.browser import _analysis
from story_gen.browser._messages import Notice
from story_gen.browser._records import StoredStory, count_problems
from story_gen.browser._store import build_record
from story_gen.browser.sync._replica import Replica
from story_gen.client.sync_engine import SyncEngine
from story_gen.core import Story

if TYPE_CHECKING:
    from story_gen.browser._service import Studio

__all__ = ["CAS_ATTEMPTS", "same_content", "store", "take_in"]

CAS_ATTEMPTS = 8
_STAMPS = {"created_at_utc", "updated_at_utc"}


def same_content(a: Story, b: Story) -> bool:
    """Equal but for the time stamps (the server stamps its own clock on what it stores)."""
    return a.model_dump(exclude=_STAMPS) == b.model_dump(exclude=_STAMPS)


async def take_in(studio: Studio, engine: SyncEngine, replica: Replica) -> bool:
    """Give the engine every stored change it has not seen: edits, moves to the trash, stories
    emptied from the trash for good. Whether it took anything in (the replica needs saving)."""
    stored_ids: set[UUID] = set()
    took = False
    for summary in await studio.store.summaries():
        story_id = summary.story_id
        stored_ids.add(story_id)
        if story_id in replica.local_only:
            continue
        tracked = engine.state.stories.get(story_id)
        if summary.deleted:
            if tracked is not None and tracked.local is not None:
                engine.delete(story_id)
                took = True
            took = took or replica.seen.get(story_id) != summary.revision
            replica.seen[story_id] = summary.revision
            continue
        known = tracked is not None and tracked.local is not None
        if known and replica.seen.get(story_id) == summary.revision:
            continue
        record = await studio.store.get(str(story_id))
        if record is None:
            continue
        engine.edit(record.story())
        replica.seen[story_id] = record.summary.revision
        took = True
    for story_id, tracked in engine.state.stories.items():
        if story_id not in stored_ids and tracked.local is not None:
            engine.delete(story_id)
            took = True
    return took


def _record(story: Story, revision: int, *, deleted: bool, studio: Studio) -> StoredStory:
    counts = count_problems(_analysis.diagnose_blueprint(story.blueprint))
    deleted_at = studio.now() if deleted else None
    return build_record(story, revision=revision, problem_counts=counts, deleted_at_utc=deleted_at)


async def store(
    studio: Studio,
    engine: SyncEngine,
    replica: Replica,
    story_ids: set[UUID],
    before: Mapping[UUID, Story],
) -> None:
    """Store the engine's copy of each story in ``story_ids`` (None: deleted on the account,
    so moved to the trash here). ``before``: the engine's copies before the answer came."""
    for story_id in sorted(story_ids):
        async with studio.lock:
            revision = await _store_one(studio, engine, replica, story_id, before.get(story_id))
            if revision is not None:
                # The open story catches up (merging unsaved work) and the UI hears of it.
                notice = Notice(type="story.saved", story_id=story_id, revision=revision)
                await studio.tabs.apply(notice)
        if revision is not None:
            studio.notices.tell("story.saved", story_id, revision)


async def _store_one(
    studio: Studio,
    engine: SyncEngine,
    replica: Replica,
    story_id: UUID,
    before: Story | None,
) -> int | None:
    """The stored revision written, or None when nothing needed writing."""
    for _ in range(CAS_ATTEMPTS):
        tracked = engine.state.stories.get(story_id)
        wanted = tracked.local if tracked is not None else None
        stored = await studio.store.get(str(story_id))
        expected = stored.summary.revision if stored is not None else 0
        if wanted is None:
            if stored is None or stored.summary.deleted:
                return None
            record = _record(stored.story(), expected + 1, deleted=True, studio=studio)
        else:
            if stored is not None and replica.seen.get(story_id) != expected:
                # The writer saved since the engine took the story in: merge, keep both.
                current = stored.story()
                base = before if before is not None else current
                wanted = _analysis.merge_stories(base, current, wanted, now=studio.now())
                engine.edit(wanted)
            if (
                stored is not None
                and not stored.summary.deleted
                and same_content(stored.story(), wanted)
            ):
                replica.seen[story_id] = expected
                return None
            record = _record(wanted, expected + 1, deleted=False, studio=studio)
        outcome = await studio.store.put_if_revision(record, expected)
        if outcome.ok:
            replica.seen[story_id] = expected + 1
            return expected + 1
    return None
