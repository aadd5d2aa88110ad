"""Anomaly events: a bounded table (by count and by age) of things an operator should see."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from story_gen.sync_api.models import AnomalyEvent

__all__ = ["add_anomaly", "list_anomalies", "prune_anomalies", "recent_anomalies"]


def add_anomaly(
    *,
    session: Session,
    kind: str,
    now: datetime,
    request_id: str = "",
    user_id: uuid.UUID | None = None,
    detail: Mapping[str, object] | None = None,
) -> None:
    session.add(
        AnomalyEvent(
            at=now,
            kind=kind[:50],
            request_id=request_id[:64],
            user_id=user_id,
            detail=json.dumps(dict(detail or {}), default=str)[:4000],
        )
    )


def list_anomalies(*, session: Session, kind: str | None = None) -> Sequence[AnomalyEvent]:
    query = select(AnomalyEvent).order_by(AnomalyEvent.id)
    if kind is not None:
        query = query.where(AnomalyEvent.kind == kind)
    return session.scalars(query).all()


def prune_anomalies(*, session: Session, now: datetime, max_rows: int, max_age_days: int) -> int:
    """Drop events older than ``max_age_days``, then the oldest beyond ``max_rows``."""
    removed = session.execute(
        delete(AnomalyEvent).where(AnomalyEvent.at < now - timedelta(days=max_age_days))
    )
    count = int(getattr(removed, "rowcount", 0) or 0)
    total = session.scalar(select(func.count()).select_from(AnomalyEvent)) or 0
    if total > max_rows:
        cutoff = session.scalar(
            select(AnomalyEvent.id).order_by(AnomalyEvent.id.desc()).offset(max_rows).limit(1)
        )
        if cutoff is not None:
            more = session.execute(delete(AnomalyEvent).where(AnomalyEvent.id <= cutoff))
            count += int(getattr(more, "rowcount", 0) or 0)
    return count


def recent_anomalies(
    *, session: Session, kind: str | None = None, since: datetime | None = None, limit: int = 100
) -> Sequence[AnomalyEvent]:
    """The newest ``limit`` events (optionally of one kind, after ``since``), oldest first."""
    query = select(AnomalyEvent)
    if kind is not None:
        query = query.where(AnomalyEvent.kind == kind)
    if since is not None:
        query = query.where(AnomalyEvent.at >= since)
    newest = session.scalars(query.order_by(AnomalyEvent.id.desc()).limit(max(limit, 0))).all()
    return list(reversed(newest))
