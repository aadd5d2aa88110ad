"""A :class:`~story_gen.client.sync_engine.SyncEngine` run over a client: push what waits,
pull what changed, and push again what the pull's merges made (``sync``)."""

from __future__ import annotations

import uuid

from story_gen.client.async_client import AsyncStoryApiClient
from story_gen.client.client import StoryApiClient
from story_gen.client.models import WireChange
from story_gen.client.sync_engine import SyncEngine, SyncReport

__all__ = ["pull_all", "push_all", "sync", "sync_async"]

ROUNDS = 3
"""Push, pull, push: a merge made by the pull goes out in the next round."""


def _add(into: SyncReport, more: SyncReport) -> None:
    into.changed |= more.changed
    into.removed |= more.removed
    into.revived |= more.revived
    into.refetch |= more.refetch
    into.rejected.extend(more.rejected)
    for story_id, conflicts in more.conflicts.items():
        into.add_conflicts(story_id, conflicts)


def _fresh(engine: SyncEngine, sent: set[uuid.UUID], batch: int) -> list[WireChange]:
    """The next batch, unless it holds only changes already sent in this run (the server
    left them unanswered: they wait for the next run instead of looping)."""
    changes = engine.outgoing(batch)
    ids = {change.change_id for change in changes}
    if ids <= sent:
        return []
    sent |= ids
    return changes


def push_all(client: StoryApiClient, engine: SyncEngine, *, batch: int = 50) -> SyncReport:
    report = SyncReport()
    sent: set[uuid.UUID] = set()
    while changes := _fresh(engine, sent, batch):
        _add(report, engine.apply_push(client.push(changes)))
    return report


def _held(engine: SyncEngine, patches: bool, before: set[uuid.UUID]) -> dict[uuid.UUID, int] | None:
    """``have`` for the next page: the stories held when this pull began, at the revision
    held now. A story an earlier page of the same pull brought has a change number below the
    cursor, so it can only come again if it changed meanwhile (then whole): naming it would
    only make each page's request longer (a fresh device's 1,000 stories, page after page)."""
    if not patches:
        return None
    return {sid: rev for sid, rev in engine.held_revisions().items() if sid in before}


def pull_all(
    client: StoryApiClient, engine: SyncEngine, *, limit: int = 50, patches: bool = True
) -> SyncReport:
    """Pull until nothing is left; ``patches``: say which revisions this device holds, so
    changed stories come as patches (a server before ADR 0113 needs ``patches=False``)."""
    report = SyncReport()
    before = set(engine.held_revisions())
    while True:
        cursor = engine.pull_cursor()
        answer = client.pull(cursor, limit, _held(engine, patches, before))
        more = engine.apply_pull(cursor, answer)
        _add(report, more)
        # After patches that did not give the server's document the cursor stays and the
        # next pull brings those stories whole (they are left out of ``have`` now).
        if not answer.has_more and not more.refetch:
            return report


def sync(
    client: StoryApiClient, engine: SyncEngine, *, batch: int = 50, patches: bool = True
) -> SyncReport:
    report = SyncReport()
    for _ in range(ROUNDS):
        _add(report, push_all(client, engine, batch=batch))
        _add(report, pull_all(client, engine, patches=patches))
        if not engine.outgoing(batch):
            break
    return report


async def sync_async(
    client: AsyncStoryApiClient, engine: SyncEngine, *, batch: int = 50, patches: bool = True
) -> SyncReport:
    report = SyncReport()
    for _ in range(ROUNDS):
        sent: set[uuid.UUID] = set()
        while changes := _fresh(engine, sent, batch):
            _add(report, engine.apply_push(await client.push(changes)))
        before = set(engine.held_revisions())
        while True:
            cursor = engine.pull_cursor()
            answer = await client.pull(cursor, 50, _held(engine, patches, before))
            more = engine.apply_pull(cursor, answer)
            _add(report, more)
            if not answer.has_more and not more.refetch:
                break
        if not engine.outgoing(batch):
            break
    return report
