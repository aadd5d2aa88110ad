"""Rewrite revisions stored before ADR 0081 (one full canonical-JSON blob each) as compressed
snapshots and deltas: ``story-gen-sync-api run repack_revisions``, after the 0002 migration.

Safe while the service runs, and to run again or stop at any point:

- Old blobs stay readable throughout: a revision is read from whatever its row names, and a
  row changes (in one transaction per story) only after the snapshots it will name are stored
  (blob before row, ADR 0011). The old blobs, no longer referenced, are then removed by the
  blob GC like any orphan.
- Each story is planned from a read transaction and applied under its owner's write lock with
  a compare-and-swap per row (still stored as planned); a story whose rows changed meanwhile
  (pruned, repacked by another run) is skipped and picked up by the next run.
- A story keeps the documents it had: every delta is checked to reproduce its revision when
  planned (revision_store.prepare), and each document is read through the same path as a GET.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from story_gen.core import Story
from story_gen.sync_api.crud.stories import (
    get_revision,
    legacy_story_ids,
    list_revisions,
    oldest_revision,
    set_stored_form,
)
from story_gen.sync_api.crud.users import bump_change_seq
from story_gen.sync_api.ops.logs import logger
from story_gen.sync_api.revision_store import (
    ChainState,
    StoredRevision,
    prepare,
    read_document,
)
from story_gen.sync_api.services import Services

__all__ = ["RepackReport", "repack_revisions", "repack_story"]


@dataclass(frozen=True)
class RepackReport:
    stories: int
    revisions: int
    skipped: int
    bytes_before: int
    bytes_after: int


@dataclass(frozen=True)
class _Planned:
    revision: int
    old_key: str
    form: StoredRevision
    old_bytes: int


class _ChangedError(Exception):
    """The story's rows changed between planning and applying."""


def repack_revisions(services: Services, *, batch: int = 50) -> RepackReport:
    stories = revisions = skipped = before = after = 0
    last: uuid.UUID | None = None
    while True:
        with services.db.reading() as session:
            found = legacy_story_ids(session=session, after=last, limit=batch)
        if not found:
            break
        for story_id, owner_id in found:
            last = story_id
            planned = repack_story(services, story_id=story_id, owner_id=owner_id)
            if planned is None:
                skipped += 1
                continue
            stories += 1
            revisions += len(planned)
            before += sum(item.old_bytes for item in planned)
            after += sum(item.form.stored_bytes for item in planned)
    report = RepackReport(stories, revisions, skipped, before, after)
    logger.info("revisions repacked", extra={"report": report.__dict__})
    return report


def repack_story(
    services: Services, *, story_id: uuid.UUID, owner_id: uuid.UUID
) -> list[_Planned] | None:
    """Repack one story's legacy revisions; None if its rows changed meanwhile (skipped)."""
    planned = _plan(services, story_id)
    if not planned:
        return planned
    try:
        with services.db.transaction() as session:
            bump_change_seq(session=session, user_id=owner_id)  # the owner's lock, see models.py
            for item in planned:
                if not set_stored_form(
                    session=session,
                    story_id=story_id,
                    revision=item.revision,
                    expected_key=item.old_key,
                    stored_key=item.form.stored_key,
                    delta=item.form.delta,
                    stored_bytes=item.form.stored_bytes,
                ):
                    raise _ChangedError
            oldest = oldest_revision(session=session, story_id=story_id)
            first = (
                None
                if oldest is None
                else get_revision(session=session, story_id=story_id, revision=oldest)
            )
            if first is not None and first.stored_key is None:
                raise _ChangedError  # pruned meanwhile: the oldest kept must stay whole
    except _ChangedError:
        logger.info("story changed while repacking; skipped", extra={"story_id": str(story_id)})
        return None
    return planned


def _plan(services: Services, story_id: uuid.UUID) -> list[_Planned]:
    """The new stored form of each legacy revision, its snapshots already uploaded."""
    planned: list[_Planned] = []
    with services.db.reading() as session:
        rows = list(reversed(list_revisions(session=session, story_id=story_id)))
        previous: Story | None = None
        chain: ChainState | None = None
        for index, row in enumerate(rows):
            story = read_document(services, session, story_id=story_id, revision=row.revision)
            assert story is not None
            if row.stored_key == row.blob_key:
                # A legacy row followed by a delta written since the upgrade stays whole (a
                # snapshot): the delta's chain starts here and must not grow past its bound.
                follows = rows[index + 1] if index + 1 < len(rows) else None
                keep_whole = follows is not None and follows.stored_key is None
                before = None if keep_whole else previous
                form = prepare(services, story, before=before, chain=chain)
                planned.append(_Planned(row.revision, row.blob_key, form, row.stored_bytes))
                stored_key, stored_bytes = form.stored_key, form.stored_bytes
            else:
                stored_key, stored_bytes = row.stored_key, row.stored_bytes
            if stored_key is not None or chain is None:
                chain = ChainState(deltas=0, delta_bytes=0, full_bytes=stored_bytes)
            else:
                chain = ChainState(
                    deltas=chain.deltas + 1,
                    delta_bytes=chain.delta_bytes + stored_bytes,
                    full_bytes=chain.full_bytes,
                )
            previous = story
    return planned
