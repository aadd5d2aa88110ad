"""Stored outcomes of pushed changes (idempotency by ``change_id``)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from story_gen.sync_api.models import PushResult

__all__ = ["get_push_result", "prune_push_results", "save_push_result"]


def get_push_result(*, session: Session, user_id: uuid.UUID, change_id: uuid.UUID) -> str | None:
    row = session.get(PushResult, (user_id, change_id))
    return row.result_json if row is not None else None


def save_push_result(
    *,
    session: Session,
    user_id: uuid.UUID,
    change_id: uuid.UUID,
    story_id: uuid.UUID,
    result_json: str,
    now: datetime,
) -> None:
    session.add(
        PushResult(
            user_id=user_id,
            change_id=change_id,
            story_id=story_id,
            result_json=result_json,
            created_at=now,
        )
    )


def prune_push_results(*, session: Session, now: datetime, max_age_days: int) -> int:
    """Forget results older than the replay window; how many rows went."""
    result = session.execute(
        delete(PushResult).where(PushResult.created_at <= now - timedelta(days=max_age_days))
    )
    return int(getattr(result, "rowcount", 0) or 0)
