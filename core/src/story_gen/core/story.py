"""The ``Story`` envelope: what is stored (IndexedDB, Postgres/S3) and synced.

Files carry a ``schema_version``; :func:`migrate` upgrades an older raw document
one version at a time before validation, so a future ``v2`` still loads ``v1``
files. Timestamps are always passed in: the core never reads the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from story_gen.core.blueprint import StoryBlueprint
from story_gen.core.conflicts import Conflict

__all__ = [
    "CURRENT_SCHEMA_VERSION",
    "MIGRATIONS",
    "SCHEMA_ID",
    "Story",
    "UnsupportedSchemaVersionError",
    "migrate",
]

SCHEMA_ID = "story_blueprint.v1"
CURRENT_SCHEMA_VERSION = 2
"""1: the original contract. 2: optional display names (themes, characters), chapter status
and word targets (docs/adr/0096-optional-fields-absent-while-unset.md)."""

Migration = Callable[[dict[str, Any]], dict[str, Any]]


def _v1_to_v2(doc: dict[str, Any]) -> dict[str, Any]:
    # Revision 2 only added optional fields that are absent while unset, so a version-1
    # story is already a valid version-2 story: only the version number changes.
    return dict(doc)


MIGRATIONS: dict[int, Migration] = {1: _v1_to_v2}
"""``MIGRATIONS[n]`` turns a raw version-``n`` story into a raw version-``n+1`` story."""


class UnsupportedSchemaVersionError(ValueError):
    def __init__(self, version: object) -> None:
        super().__init__(
            f"schema_version {version!r} is not supported: this story_gen reads versions "
            f"1 to {CURRENT_SCHEMA_VERSION}; upgrade story_gen to open this file"
        )
        self.version = version


def migrate(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Upgrade a raw story document to :data:`CURRENT_SCHEMA_VERSION` (a missing version is 1)."""
    doc = dict(raw)
    version = doc.get("schema_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise UnsupportedSchemaVersionError(version)
    if version > CURRENT_SCHEMA_VERSION:
        raise UnsupportedSchemaVersionError(version)
    while version < CURRENT_SCHEMA_VERSION:
        doc = MIGRATIONS[version](doc)
        version += 1
        doc["schema_version"] = version
    doc["schema_version"] = version
    return doc


class Story(BaseModel):
    """A blueprint with its identity, title, timestamps and unresolved merge conflicts."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_serialization_defaults_required=True
    )

    story_id: UUID
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    blueprint: StoryBlueprint
    schema_version: int = CURRENT_SCHEMA_VERSION
    created_at_utc: AwareDatetime
    updated_at_utc: AwareDatetime
    conflicts: list[Conflict] = Field(default_factory=list)

    @classmethod
    def new(cls, *, story_id: UUID, title: str, blueprint: StoryBlueprint, now: datetime) -> Story:
        return cls(
            story_id=story_id,
            title=title,
            blueprint=blueprint,
            created_at_utc=now,
            updated_at_utc=now,
        )
