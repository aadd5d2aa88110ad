"""SQLAlchemy 2 tables, identical on Postgres and SQLite.

The database holds what must be transactional: accounts, tokens, story heads, the revision
index, sync bookkeeping and login failures. Revision documents live in the blob store and
are referenced by their content address (``blob_key``).

Every user row carries ``change_seq``, the user's monotonic change counter. Bumping it is the
first statement of every write transaction, so it doubles as the per-user write lock: writes of
one user commit in counter order, which is what makes a pull cursor safe (see ADR 0010).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    Uuid,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "AccessToken",
    "AnomalyEvent",
    "Base",
    "LoginFailure",
    "PushResult",
    "Revision",
    "StoryHead",
    "User",
]

DEVICE_MAX_LENGTH = 80
"""Longest device name a push or a story-API write may carry (ADR 0109)."""
DEVICE_PATTERN = r"^[^\x00-\x1f\x7f]+$"
"""A device name is printable: no control characters (it is shown as given in the history)."""


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, also on SQLite (which drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass an aware UTC time")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# BIGINT primary keys only autoincrement on SQLite when declared INTEGER.
AutoId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class User(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    change_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class AccessToken(Base):
    __tablename__ = "access_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    """sha256 of the bearer token, hex; the token itself is never stored."""
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class StoryHead(Base):
    """The current state of one story; its document is the blob of revision ``revision``."""

    __tablename__ = "stories"
    __table_args__ = (Index("ix_stories_owner_id_change_seq", "owner_id", "change_seq"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    revision: Mapped[int] = mapped_column(Integer)
    blob_key: Mapped[str] = mapped_column(String(200))
    conflict_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    change_seq: Mapped[int] = mapped_column(BigInteger)
    """The owner's ``users.change_seq`` value of the last change (pull cursors compare it)."""


class Revision(Base):
    """One version of a story. Its document is named by ``blob_key`` (the content address of
    its canonical JSON) and stored in one of two forms (ADR 0081):

    - **full**: ``stored_key`` names a blob holding the whole document: a compressed snapshot,
      or (revisions written before ADR 0081, until repacked) the canonical JSON itself, in
      which case ``stored_key == blob_key``;
    - **delta**: ``stored_key`` is NULL and ``delta`` holds the compressed core patch from the
      previous revision's document to this one's.
    """

    __tablename__ = "revisions"

    story_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    blob_key: Mapped[str] = mapped_column(String(200), index=True)
    byte_size: Mapped[int] = mapped_column(Integer)
    """Bytes of the document's canonical JSON (what ``GET`` of the revision is made from)."""
    stored_key: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    delta: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    stored_bytes: Mapped[int] = mapped_column(Integer)
    """Bytes this revision occupies in storage (its snapshot blob or its delta)."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    origin: Mapped[str] = mapped_column(String(20))
    """create | update | push | merge | restore | delete | undelete."""
    change_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    device: Mapped[str | None] = mapped_column(String(DEVICE_MAX_LENGTH), nullable=True)
    """The device that pushed it, as it named itself (ADR 0109); NULL when it did not say."""


class PushResult(Base):
    """The stored outcome of a pushed change, so a retried ``change_id`` gets the same answer."""

    __tablename__ = "push_results"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    change_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    story_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    result_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LoginFailure(Base):
    """One failed login, counted per bucket (``account:<email>`` / ``address:<ip>``)."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_bucket_at", "bucket", "at"),)

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    bucket: Mapped[str] = mapped_column(String(400))
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class AnomalyEvent(Base):
    """Errors, rejected pushes, rate-limit hits: bounded by count and age, pruned at startup."""

    __tablename__ = "anomaly_events"

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    kind: Mapped[str] = mapped_column(String(50), index=True)
    request_id: Mapped[str] = mapped_column(String(64), default="")
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")
