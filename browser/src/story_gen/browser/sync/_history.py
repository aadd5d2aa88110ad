"""A story's revisions on the account, in story terms: when, how (a sync from a device, the
story API, a restore) and what changed, in the core's own one-line ``describe`` of the patch
between a revision and the one before it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from story_gen.client.models import RevisionInfo
from story_gen.core import Story, describe, diff

__all__ = ["REVISIONS_SHOWN", "RevisionLine", "describe_revisions"]

REVISIONS_SHOWN = 30
"""The newest revisions listed (each needs its story and the one before it)."""


class RevisionLine(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    revision: int
    created_at_utc: datetime
    origin: str
    device: str | None = None
    """The device that pushed it, when it said (ADR 0109)."""
    changes: list[str]


def lines_of(before: Story | None, after: Story) -> list[str]:
    if before is None:
        return ["the story was created"]
    found = describe(diff(before, after))
    if before.title != after.title:
        found.insert(0, f"title: {before.title!r} → {after.title!r}")
    return found or ["nothing in the story changed (moved to or from the bin)"]


def describe_revisions(infos: list[RevisionInfo], stories: dict[int, Story]) -> list[RevisionLine]:
    """Newest first; ``stories`` holds each listed revision and the one before the oldest."""
    lines: list[RevisionLine] = []
    for info in infos:
        after = stories[info.revision]
        lines.append(
            RevisionLine(
                revision=info.revision,
                created_at_utc=info.created_at_utc,
                origin=info.origin,
                device=info.device,
                changes=lines_of(stories.get(info.revision - 1), after),
            )
        )
    return lines
