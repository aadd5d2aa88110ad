"""Access tokens, stored only as sha256 hashes."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from story_gen.sync_api.models import AccessToken, User

__all__ = ["create_token", "prune_expired_tokens", "revoke_token", "user_for_token"]


def create_token(
    *, session: Session, user_id: uuid.UUID, token_hash: str, now: datetime, expires_at: datetime
) -> AccessToken:
    token = AccessToken(
        token_hash=token_hash, user_id=user_id, created_at=now, expires_at=expires_at
    )
    session.add(token)
    session.flush()
    return token


def user_for_token(*, session: Session, token_hash: str, now: datetime) -> User | None:
    return session.scalar(
        select(User)
        .join(AccessToken, AccessToken.user_id == User.id)
        .where(AccessToken.token_hash == token_hash, AccessToken.expires_at > now)
    )


def revoke_token(*, session: Session, token_hash: str) -> None:
    session.execute(delete(AccessToken).where(AccessToken.token_hash == token_hash))


def prune_expired_tokens(*, session: Session, now: datetime) -> int:
    result = session.execute(delete(AccessToken).where(AccessToken.expires_at <= now))
    return int(getattr(result, "rowcount", 0) or 0)
