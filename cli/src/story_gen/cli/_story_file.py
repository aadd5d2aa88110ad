"""The synced folder's file format: ``<slug>.story.json``, one story per file.

Canonical JSON, fields in this order: ``story_id``, ``title``, ``revision`` (the server
revision the content is based on; 0 until first pushed), ``blueprint`` (canonical, as
``story-gen fmt`` writes it) and, only while there are any, ``conflicts`` (the core's
``Conflict``: both values; delete one from the list, after choosing, to resolve it).
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field

from story_gen.core import Conflict, Story, StoryBlueprint, to_canonical_json

__all__ = ["SUFFIX", "StoryFile", "is_story_file", "render", "slug", "to_story"]

SUFFIX = ".story.json"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class StoryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    story_id: uuid.UUID
    title: str = Field(min_length=1, max_length=300)
    revision: int = Field(ge=0)
    blueprint: StoryBlueprint
    conflicts: list[Conflict] = Field(default_factory=list)


def is_story_file(raw: object) -> bool:
    return isinstance(raw, dict) and {"story_id", "revision", "blueprint"} <= set(raw)


def render(story: Story, revision: int) -> str:
    document: dict[str, object] = {
        "story_id": str(story.story_id),
        "title": story.title,
        "revision": revision,
        "blueprint": json.loads(to_canonical_json(story.blueprint)),
    }
    if story.conflicts:
        document["conflicts"] = [c.model_dump(mode="json") for c in story.conflicts]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def to_story(file: StoryFile, like: Story | None) -> Story:
    """The file as a core ``Story``; timestamps from ``like`` (the server's copy), which the
    file does not keep."""
    created = like.created_at_utc if like is not None else EPOCH
    updated = like.updated_at_utc if like is not None else EPOCH
    return Story(
        story_id=file.story_id,
        title=file.title,
        blueprint=file.blueprint,
        created_at_utc=created,
        updated_at_utc=updated,
        conflicts=list(file.conflicts),
    )


def slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return text[:60].strip("-") or "story"
