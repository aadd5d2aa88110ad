"""Typed access to the host's storage: stories (summary + canonical JSON), their undo steps
and meta values."""

from __future__ import annotations

import functools
import json
from datetime import datetime

from pydantic import JsonValue, TypeAdapter

from story_gen.browser._history import HistoryWrite, StepHead, StoredStep
from story_gen.browser._host import Host
from story_gen.browser._records import CasOutcome, ProblemCounts, StoredStory, StorySummary
from story_gen.core import Story
from story_gen.core.progress import manuscript_words, status_counts
from story_gen.core.stored import stored_form

__all__ = ["StoryStore", "build_record"]


@functools.cache
def _summaries() -> TypeAdapter[list[StorySummary]]:
    return TypeAdapter(list[StorySummary])


@functools.cache
def _steps() -> TypeAdapter[list[StoredStep]]:
    return TypeAdapter(list[StoredStep])


@functools.cache
def _heads() -> TypeAdapter[list[StepHead]]:
    return TypeAdapter(list[StepHead])


# meta keys (IndexedDB store "meta")
LAST_OPENED = "last_opened_story"
DEMOS_SEEDED = "demos_seeded"
PERSIST_REQUESTED = "persist_requested"


def build_record(
    story: Story,
    *,
    revision: int,
    problem_counts: ProblemCounts,
    deleted_at_utc: datetime | None = None,
    pending_through: int = 0,
) -> StoredStory:
    story_json, digest = stored_form(story)
    summary = StorySummary(
        story_id=story.story_id,
        revision=revision,
        title=story.title,
        chapter_count=len(story.blueprint.chapters),
        problem_counts=problem_counts,
        status_counts=status_counts(story.blueprint),
        word_count=manuscript_words(story.blueprint),
        conflict_count=len(story.conflicts),
        created_at_utc=story.created_at_utc,
        updated_at_utc=story.updated_at_utc,
        deleted_at_utc=deleted_at_utc,
        story_digest=digest,
    )
    return StoredStory(summary=summary, story_json=story_json, pending_through=pending_through)


class StoryStore:
    def __init__(self, host: Host) -> None:
        self._host = host

    async def summaries(self) -> list[StorySummary]:
        return _summaries().validate_json(await self._host.list_summaries())

    async def get(self, story_id: str) -> StoredStory | None:
        text = await self._host.get_story(story_id)
        return None if text is None else StoredStory.model_validate_json(text)

    async def put_if_revision(self, record: StoredStory, expected_revision: int) -> CasOutcome:
        text = await self._host.put_story_if_revision(
            str(record.summary.story_id),
            expected_revision,
            record.summary.model_dump_json(),
            record.story_json,
            record.pending_through,
        )
        return CasOutcome.model_validate_json(text)

    async def pending(self) -> str:
        """Every pending edit, JSON (parsed record by record by :mod:`._pending`)."""
        return await self._host.get_pending()

    async def delete_pending(self, ids: list[int]) -> None:
        if ids:
            await self._host.delete_pending(json.dumps(sorted(ids)))

    async def purge(self, story_id: str) -> None:
        await self._host.delete_story(story_id)

    async def history(self, story_id: str) -> list[StoredStep]:
        return _steps().validate_json(await self._host.get_history(story_id))

    async def history_heads(self, story_id: str) -> list[StepHead]:
        """The stored steps without their patches (what opening a story needs)."""
        return _heads().validate_json(await self._host.get_history(story_id))

    async def write_history(self, story_id: str, write: HistoryWrite) -> None:
        if write.put or write.delete:
            await self._host.put_history(
                story_id,
                _steps().dump_json(list(write.put.values())).decode(),
                json.dumps(sorted(write.delete)),
            )

    async def get_meta(self, key: str) -> JsonValue:
        text = await self._host.get_meta(key)
        return None if text is None else json.loads(text)

    async def set_meta(self, key: str, value: JsonValue) -> None:
        await self._host.set_meta(key, json.dumps(value))
