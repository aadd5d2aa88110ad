"""Accounts."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from story_gen.sync_api.models import User

__all__ = ["bump_change_seq", "create_user", "get_user", "get_user_by_email", "normalize_email"]


def normalize_email(email: str) -> str:
    return email.strip().lower()


def get_user(*, session: Session, user_id: uuid.UUID) -> User | None:
    return session.get(User, user_id)


def get_user_by_email(*, session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalize_email(email)))


def create_user(
    *, session: Session, email: str, display_name: str, password_hash: str, now: datetime
) -> User:
    user = User(
        id=uuid.uuid4(),
        email=normalize_email(email),
        display_name=display_name.strip(),
        password_hash=password_hash,
        created_at=now,
        change_seq=0,
    )
    session.add(user)
    session.flush()
    return user


def bump_change_seq(*, session: Session, user_id: uuid.UUID) -> int:
    """Take the next change number of ``user_id``.

    This is the first write of every transaction that changes a user's stories: the row lock
    it takes (Postgres) or the write lock already held (SQLite ``BEGIN IMMEDIATE``) serialises
    that user's writers until commit, so change numbers commit in order.
    """
    seq = session.execute(
        update(User)
        .where(User.id == user_id)
        .values(change_seq=User.change_seq + 1)
        .returning(User.change_seq)
    ).scalar_one()
    return int(seq)
