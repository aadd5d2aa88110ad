"""Login rate limiting per account and per client address, with its state in the database.

Every Lambda instance (and every uvicorn worker) sees the same counts because they live in the
``login_failures`` table, not in process memory (ADR 0012). A failed login adds one row per
bucket; a bucket over its limit within the window answers 429 with ``Retry-After`` = seconds
until its oldest counted failure leaves the window. Unknown e-mails are counted exactly like
known ones, so the limiter does not reveal which accounts exist.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from story_gen.sync_api.config import Settings
from story_gen.sync_api.models import LoginFailure

__all__ = ["login_retry_after", "prune_login_failures", "record_login_failure"]


def _buckets(settings: Settings, email: str, address: str) -> list[tuple[str, int]]:
    return [
        (f"account:{email.strip().lower()}"[:400], settings.login_max_failures_per_account),
        (f"address:{address}"[:400], settings.login_max_failures_per_address),
    ]


def login_retry_after(
    *, session: Session, settings: Settings, email: str, address: str, now: datetime
) -> int | None:
    """Seconds the caller must wait, or None when a login may be attempted."""
    window = timedelta(seconds=settings.login_window_seconds)
    wait = 0.0
    for bucket, limit in _buckets(settings, email, address):
        count, oldest = session.execute(
            select(func.count(), func.min(LoginFailure.at)).where(
                LoginFailure.bucket == bucket, LoginFailure.at > now - window
            )
        ).one()
        if count >= limit and oldest is not None:
            first_counted = session.scalar(
                select(LoginFailure.at)
                .where(LoginFailure.bucket == bucket, LoginFailure.at > now - window)
                .order_by(LoginFailure.at.desc())
                .offset(limit - 1)
                .limit(1)
            )
            since = first_counted if first_counted is not None else oldest
            wait = max(wait, (since + window - now).total_seconds())
    return max(1, math.ceil(wait)) if wait > 0 else None


def record_login_failure(
    *, session: Session, settings: Settings, email: str, address: str, now: datetime
) -> None:
    for bucket, _ in _buckets(settings, email, address):
        session.add(LoginFailure(bucket=bucket, at=now))


def prune_login_failures(*, session: Session, settings: Settings, now: datetime) -> int:
    result = session.execute(
        delete(LoginFailure).where(
            LoginFailure.at <= now - timedelta(seconds=settings.login_window_seconds)
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
