"""Story heads and the revision index."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    LargeBinary,
    Select,
    and_,
    delete,
    exists,
    func,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from story_gen.sync_api.models import Revision, StoryHead

__all__ = [
    "ChainRow",
    "account_usage",
    "add_revision",
    "blob_is_referenced",
    "cas_update_head",
    "chain_rows",
    "delete_revisions_before",
    "deltas_between",
    "find_revision_by_key",
    "get_head",
    "get_revision",
    "heads_changed_since",
    "latest_full_revision",
    "legacy_story_ids",
    "list_heads",
    "list_revisions",
    "oldest_revision",
    "set_deleted",
    "set_stored_form",
    "story_id_taken",
]


def get_head(*, session: Session, owner_id: uuid.UUID, story_id: uuid.UUID) -> StoryHead | None:
    """The head of ``story_id`` if ``owner_id`` owns it (other owners' stories do not exist)."""
    return session.scalar(
        select(StoryHead).where(StoryHead.id == story_id, StoryHead.owner_id == owner_id)
    )


def account_usage(*, session: Session, owner_id: uuid.UUID) -> tuple[int, int]:
    """The owner's story count (bin included) and the stored bytes of all their revisions."""
    stories = (
        select(func.count())
        .select_from(StoryHead)
        .where(StoryHead.owner_id == owner_id)
        .scalar_subquery()
    )
    stored = (
        select(func.coalesce(func.sum(Revision.stored_bytes), 0))
        .join(StoryHead, Revision.story_id == StoryHead.id)
        .where(StoryHead.owner_id == owner_id)
        .scalar_subquery()
    )
    # One statement: every write asks this under the owner's lock.
    counted, used = session.execute(select(stories, stored)).one()
    return int(counted or 0), int(used or 0)


def story_id_taken(*, session: Session, story_id: uuid.UUID) -> bool:
    return bool(session.scalar(select(exists().where(StoryHead.id == story_id))))


def list_heads(
    *,
    session: Session,
    owner_id: uuid.UUID,
    include_deleted: bool = False,
    after: StoryHead | None = None,
    limit: int | None = None,
) -> Sequence[StoryHead]:
    """The owner's heads, oldest first (created_at, then id); those after ``after`` if given."""
    query = select(StoryHead).where(StoryHead.owner_id == owner_id)
    if not include_deleted:
        query = query.where(StoryHead.deleted_at.is_(None))
    if after is not None:
        query = query.where(
            or_(
                StoryHead.created_at > after.created_at,
                and_(StoryHead.created_at == after.created_at, StoryHead.id > after.id),
            )
        )
    query = query.order_by(StoryHead.created_at, StoryHead.id)
    if limit is not None:
        query = query.limit(limit)
    return session.scalars(query).all()


def heads_changed_since(
    *, session: Session, owner_id: uuid.UUID, after_seq: int, limit: int
) -> Sequence[StoryHead]:
    return session.scalars(
        select(StoryHead)
        .where(StoryHead.owner_id == owner_id, StoryHead.change_seq > after_seq)
        .order_by(StoryHead.change_seq)
        .limit(limit)
    ).all()


def cas_update_head(
    *,
    session: Session,
    story_id: uuid.UUID,
    expected_revision: int,
    revision: int,
    title: str,
    blob_key: str,
    conflict_count: int,
    updated_at: datetime,
    change_seq: int,
) -> bool:
    """Move the head from ``expected_revision`` to ``revision``; False if it had moved on."""
    result = session.execute(
        update(StoryHead)
        .where(StoryHead.id == story_id, StoryHead.revision == expected_revision)
        .values(
            revision=revision,
            title=title,
            blob_key=blob_key,
            conflict_count=conflict_count,
            updated_at=updated_at,
            change_seq=change_seq,
            # Writing to a story brings it back from the bin: an edit outranks a delete.
            deleted_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def set_deleted(
    *, session: Session, story_id: uuid.UUID, deleted_at: datetime | None, change_seq: int
) -> None:
    session.execute(
        update(StoryHead)
        .where(StoryHead.id == story_id)
        .values(deleted_at=deleted_at, change_seq=change_seq)
        .execution_options(synchronize_session=False)
    )


def add_revision(
    *,
    session: Session,
    story_id: uuid.UUID,
    revision: int,
    blob_key: str,
    byte_size: int,
    stored_key: str | None,
    delta: bytes | None,
    stored_bytes: int,
    created_at: datetime,
    origin: str,
    change_id: uuid.UUID | None,
    device: str | None = None,
) -> Revision:
    row = Revision(
        story_id=story_id,
        revision=revision,
        blob_key=blob_key,
        byte_size=byte_size,
        stored_key=stored_key,
        delta=delta,
        stored_bytes=stored_bytes,
        created_at=created_at,
        origin=origin,
        change_id=change_id,
        device=device,
    )
    session.add(row)
    return row


def list_revisions(*, session: Session, story_id: uuid.UUID) -> Sequence[Revision]:
    return session.scalars(
        select(Revision).where(Revision.story_id == story_id).order_by(Revision.revision.desc())
    ).all()


def get_revision(*, session: Session, story_id: uuid.UUID, revision: int) -> Revision | None:
    return session.get(Revision, (story_id, revision))


def blob_is_referenced(*, session: Session, blob_key: str) -> bool:
    """Whether a revision is stored in the blob ``blob_key`` (a snapshot or a legacy full blob)."""
    return bool(session.scalar(select(exists().where(Revision.stored_key == blob_key))))


@dataclass(frozen=True)
class ChainRow:
    """What reading one revision of a chain needs: its document's key and its stored form."""

    revision: int
    blob_key: str
    byte_size: int
    stored_key: str | None
    delta: bytes | None
    stored_bytes: int


def latest_full_revision(*, session: Session, story_id: uuid.UUID, revision: int) -> int | None:
    """The newest revision at or before ``revision`` that is stored whole."""
    return session.scalar(_latest_full(story_id, revision))


def _latest_full(story_id: uuid.UUID, revision: int) -> Select[int]:
    return select(func.max(Revision.revision)).where(
        Revision.story_id == story_id,
        Revision.revision <= revision,
        Revision.stored_key.is_not(None),
    )


def chain_rows(
    *, session: Session, story_id: uuid.UUID, revision: int, with_deltas: bool = True
) -> list[ChainRow]:
    """The rows from the newest full revision at or before ``revision`` up to it, oldest first
    (empty if there is none); ``with_deltas=False`` leaves the delta bytes out."""
    # One statement (every push asks this): with no full revision the bound is NULL, no row.
    start = _latest_full(story_id, revision).scalar_subquery()
    delta: ColumnElement[bytes | None] = (
        Revision.delta.expression if with_deltas else null().cast(LargeBinary)
    )
    rows = session.execute(
        select(
            Revision.revision,
            Revision.blob_key,
            Revision.byte_size,
            Revision.stored_key,
            delta,
            Revision.stored_bytes,
        )
        .where(
            Revision.story_id == story_id,
            Revision.revision >= start,
            Revision.revision <= revision,
        )
        .order_by(Revision.revision)
    ).all()
    return [
        ChainRow(
            revision=row[0],
            blob_key=row[1],
            byte_size=row[2],
            stored_key=row[3],
            delta=row[4],
            stored_bytes=row[5],
        )
        for row in rows
    ]


def deltas_between(
    *, session: Session, story_id: uuid.UUID, after: int, upto: int
) -> tuple[list[bytes], int] | None:
    """The stored deltas of revisions ``after + 1`` to ``upto``, oldest first, and the size of
    revision ``upto``'s document (``byte_size``, read in the same statement); None unless
    every one of them is stored as a delta (a full revision in between has none)."""
    rows = session.execute(
        select(Revision.revision, Revision.delta, Revision.byte_size)
        .where(
            Revision.story_id == story_id,
            Revision.revision > after,
            Revision.revision <= upto,
        )
        .order_by(Revision.revision)
    ).all()
    deltas = [row[1] for row in rows if row[1] is not None]
    if len(deltas) != upto - after:
        return None
    return deltas, rows[-1][2]


def find_revision_by_key(*, session: Session, blob_key: str) -> tuple[uuid.UUID, int] | None:
    """A revision whose document is ``blob_key`` (any: equal keys are equal documents)."""
    row = session.execute(
        select(Revision.story_id, Revision.revision).where(Revision.blob_key == blob_key).limit(1)
    ).first()
    return None if row is None else (row[0], row[1])


def oldest_revision(*, session: Session, story_id: uuid.UUID) -> int | None:
    return session.scalar(select(func.min(Revision.revision)).where(Revision.story_id == story_id))


def delete_revisions_before(*, session: Session, story_id: uuid.UUID, revision: int) -> int:
    result = session.execute(
        delete(Revision)
        .where(Revision.story_id == story_id, Revision.revision < revision)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def legacy_story_ids(
    *, session: Session, after: uuid.UUID | None, limit: int
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Stories (id, owner) that still have revisions in the pre-ADR 0081 form (a full JSON blob
    at the document's own key), in id order after ``after``."""
    query = (
        select(Revision.story_id, StoryHead.owner_id)
        .join(StoryHead, Revision.story_id == StoryHead.id)
        .where(Revision.stored_key == Revision.blob_key)
        .group_by(Revision.story_id, StoryHead.owner_id)
        .order_by(Revision.story_id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(Revision.story_id > after)
    return [(row[0], row[1]) for row in session.execute(query)]


def set_stored_form(
    *,
    session: Session,
    story_id: uuid.UUID,
    revision: int,
    expected_key: str | None,
    stored_key: str | None,
    delta: bytes | None,
    stored_bytes: int,
) -> bool:
    """Change how a revision is stored, if it is still stored as ``expected_key`` says."""
    result = session.execute(
        update(Revision)
        .where(
            Revision.story_id == story_id,
            Revision.revision == revision,
            Revision.stored_key.is_(None)
            if expected_key is None
            else Revision.stored_key == expected_key,
        )
        .values(stored_key=stored_key, delta=delta, stored_bytes=stored_bytes)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1
