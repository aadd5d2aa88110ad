"""Login rate limiting per account and per client address, with its state in the database.

Every Lambda instance (and every uvicorn worker) sees the same counts because they live in the
``login_failures`` table, not in process memory (ADR 0012). A bucket over its limit within the
window answers 429 with ``Retry-After`` = seconds until its oldest counted failure leaves the
window. Unknown e-mails are counted exactly like known ones, so the limiter does not reveal
which accounts exist.

An attempt is *reserved* before its password is checked (ADR 0072): one row per bucket is
inserted in the same transaction as the check, serialised per bucket (SQLite's single writer;
a PostgreSQL advisory lock per bucket), and the rows are deleted again only if the password was
right. So however many logins run in parallel, at most the limit of passwords is ever checked.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from story_gen.sync_api.config import Settings
from story_gen.sync_api.models import LoginFailure

__all__ = [
    "Reservation",
    "login_retry_after",
    "prune_login_failures",
    "release_login_attempt",
    "reserve_login_attempt",
    "reserve_registration",
]


def _buckets(settings: Settings, email: str, address: str) -> list[tuple[str, int]]:
    # Per (account, address), not per account: an attacker elsewhere can use up only their
    # own attempts, never the owner's (OWASP Authentication Cheat Sheet; ADR 0074).
    account = email.strip().lower()
    return [
        (f"account:{address}:{account}"[:400], settings.login_max_failures_per_account),
        (f"address:{address}"[:400], settings.login_max_failures_per_address),
    ]


def _register_buckets(settings: Settings, address: str) -> list[tuple[str, int]]:
    return [(f"register:{address}"[:400], settings.register_max_per_address)]


def login_retry_after(
    *, session: Session, settings: Settings, email: str, address: str, now: datetime
) -> int | None:
    """Seconds the caller must wait, or None when a login may be attempted."""
    return _retry_after(session, settings, _buckets(settings, email, address), now)


def _retry_after(
    session: Session, settings: Settings, buckets: list[tuple[str, int]], now: datetime
) -> int | None:
    window = timedelta(seconds=settings.login_window_seconds)
    wait = 0.0
    for bucket, limit in buckets:
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


Reservation = list[int]
"""The ``login_failures`` rows an attempt holds until its password is known to be right."""


def reserve_login_attempt(
    *, session: Session, settings: Settings, email: str, address: str, now: datetime
) -> tuple[int | None, Reservation]:
    """``(seconds to wait, [])`` when a bucket is full; else ``(None, reservation)``: the
    attempt counts as a failure until :func:`release_login_attempt` takes it back."""
    return _reserve(session, settings, _buckets(settings, email, address), now)


def reserve_registration(
    *, session: Session, settings: Settings, address: str, now: datetime
) -> int | None:
    """Count a registration attempt from ``address``; seconds to wait if it is over the limit.

    Every attempt counts, successful or not: each costs an argon2 hash, and each answer says
    whether an e-mail address has an account."""
    wait, _ = _reserve(session, settings, _register_buckets(settings, address), now)
    return wait


def _reserve(
    session: Session, settings: Settings, buckets: list[tuple[str, int]], now: datetime
) -> tuple[int | None, Reservation]:
    if session.get_bind().dialect.name == "postgresql":
        # Concurrent transactions would each count the same rows and all go ahead: take a
        # transaction-scoped lock per bucket (in a fixed order, so two never deadlock).
        for bucket in sorted(name for name, _ in buckets):
            session.execute(
                text("SELECT pg_advisory_xact_lock(hashtextextended(:bucket, 0))"),
                {"bucket": bucket},
            )
    # (SQLite: the transaction began with BEGIN IMMEDIATE, the database's single write lock.)
    wait = _retry_after(session, settings, buckets, now)
    if wait is not None:
        return wait, []
    rows = [LoginFailure(bucket=bucket, at=now) for bucket, _ in buckets]
    session.add_all(rows)
    session.flush()
    return None, [row.id for row in rows]


def release_login_attempt(*, session: Session, reservation: Reservation) -> None:
    """The password was right: the attempt no longer counts as a failure."""
    if reservation:
        session.execute(delete(LoginFailure).where(LoginFailure.id.in_(reservation)))


def prune_login_failures(*, session: Session, settings: Settings, now: datetime) -> int:
    result = session.execute(
        delete(LoginFailure).where(
            LoginFailure.at <= now - timedelta(seconds=settings.login_window_seconds)
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
