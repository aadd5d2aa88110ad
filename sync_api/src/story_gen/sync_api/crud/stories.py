"""Story heads and the revision index."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import Session

from story_gen.sync_api.models import Revision, StoryHead

__all__ = [
    "account_usage",
    "add_revision",
    "blob_is_referenced",
    "cas_update_head",
    "get_head",
    "get_revision",
    "heads_changed_since",
    "list_heads",
    "list_revisions",
    "set_deleted",
    "story_id_taken",
]


def get_head(*, session: Session, owner_id: uuid.UUID, story_id: uuid.UUID) -> StoryHead | None:
    """The head of ``story_id`` if ``owner_id`` owns it (other owners' stories do not exist)."""
    return session.scalar(
        select(StoryHead).where(StoryHead.id == story_id, StoryHead.owner_id == owner_id)
    )


def account_usage(*, session: Session, owner_id: uuid.UUID) -> tuple[int, int]:
    """The owner's story count (bin included) and the bytes of all their revisions."""
    stories = session.scalar(
        select(func.count()).select_from(StoryHead).where(StoryHead.owner_id == owner_id)
    )
    stored = session.scalar(
        select(func.coalesce(func.sum(Revision.byte_size), 0))
        .join(StoryHead, Revision.story_id == StoryHead.id)
        .where(StoryHead.owner_id == owner_id)
    )
    return int(stories or 0), int(stored or 0)


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
    created_at: datetime,
    origin: str,
    change_id: uuid.UUID | None,
) -> Revision:
    row = Revision(
        story_id=story_id,
        revision=revision,
        blob_key=blob_key,
        byte_size=byte_size,
        created_at=created_at,
        origin=origin,
        change_id=change_id,
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
    return bool(session.scalar(select(exists().where(Revision.blob_key == blob_key))))
