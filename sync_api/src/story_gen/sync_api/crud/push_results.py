"""Stored outcomes of pushed changes (idempotency by ``change_id``)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from story_gen.sync_api.models import PushResult

__all__ = ["get_push_result", "save_push_result"]


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
