"""One sync of a :class:`~story_gen.client.sync.SyncEngine` over a :class:`StoryApiClient`:
push what is waiting, pull what changed, push again what the pull's merges made."""

from __future__ import annotations

import uuid

from story_gen.client.async_client import AsyncStoryApiClient
from story_gen.client.client import StoryApiClient
from story_gen.client.sync import SyncEngine, SyncReport

__all__ = ["sync", "sync_async"]

ROUNDS = 3
"""Push, pull, push: a merge made by the pull goes out in the next round."""


def _merge(into: SyncReport, more: SyncReport) -> None:
    into.changed |= more.changed
    into.removed |= more.removed
    into.revived |= more.revived
    into.rejected.extend(more.rejected)
    for story_id, conflicts in more.conflicts.items():
        into.add_conflicts(story_id, conflicts)


def _fresh(engine: SyncEngine, sent: set[uuid.UUID], batch: int) -> list[object] | None:
    changes = engine.outgoing(batch)
    ids = {change.change_id for change in changes}
    if not changes or ids <= sent:
        return None  # nothing waits, or only changes the server has not answered
    sent |= ids
    return list(changes)


def sync(client: StoryApiClient, engine: SyncEngine, *, batch: int = 50) -> SyncReport:
    report = SyncReport()
    for _ in range(ROUNDS):
        sent: set[uuid.UUID] = set()
        while _fresh(engine, sent, batch) is not None:
            _merge(report, engine.apply_push(client.push(engine.outgoing(batch))))
        while True:
            cursor = engine.pull_cursor()
            answer = client.pull(cursor)
            _merge(report, engine.apply_pull(cursor, answer))
            if not answer.has_more:
                break
        if not engine.outgoing(batch):
            break
    return report


async def sync_async(
    client: AsyncStoryApiClient, engine: SyncEngine, *, batch: int = 50
) -> SyncReport:
    report = SyncReport()
    for _ in range(ROUNDS):
        sent: set[uuid.UUID] = set()
        while _fresh(engine, sent, batch) is not None:
            _merge(report, engine.apply_push(await client.push(engine.outgoing(batch))))
        while True:
            cursor = engine.pull_cursor()
            answer = await client.pull(cursor)
            _merge(report, engine.apply_pull(cursor, answer))
            if not answer.has_more:
                break
        if not engine.outgoing(batch):
            break
    return report
