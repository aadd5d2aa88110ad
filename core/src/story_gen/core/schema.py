"""JSON Schema of the ``story_blueprint.v1`` contract, generated from the pydantic models.

The schema describes the canonical form the core writes (serialization mode: every
field present, keys already normalised); the loaders accept more (missing fields get
their defaults, keys are lowercased and stripped). web/ generates its TypeScript types
from this output, so it must be stable: same models, same bytes.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from story_gen.core.blueprint import StoryBlueprint
from story_gen.core.story import CURRENT_SCHEMA_VERSION, SCHEMA_ID, Story

__all__ = ["BLUEPRINT_SCHEMA_ID", "STORY_SCHEMA_ID", "blueprint_json_schema", "story_json_schema"]

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
BLUEPRINT_SCHEMA_ID = f"urn:story-gen:{SCHEMA_ID}:blueprint"
STORY_SCHEMA_ID = f"urn:story-gen:{SCHEMA_ID}:story"


def _schema(model: type[BaseModel], schema_id: str, description: str) -> dict[str, Any]:
    body = model.model_json_schema(mode="serialization")
    head: dict[str, Any] = {
        "$schema": _DIALECT,
        "$id": schema_id,
        "title": model.__name__,
        "description": description,
        "x-schema-version": SCHEMA_ID,
        "x-schema-revision": CURRENT_SCHEMA_VERSION,
    }
    return head | {k: v for k, v in body.items() if k not in head}


def blueprint_json_schema() -> dict[str, Any]:
    """The JSON Schema of a bare blueprint file (``StoryBlueprint``)."""
    return _schema(
        StoryBlueprint,
        BLUEPRINT_SCHEMA_ID,
        f"A story plan: premise, canon, themes, characters and chapters ({SCHEMA_ID}).",
    )


def story_json_schema() -> dict[str, Any]:
    """The JSON Schema of the ``Story`` envelope (a blueprint with id, title and timestamps)."""
    return _schema(
        Story,
        STORY_SCHEMA_ID,
        f"A stored story: a {SCHEMA_ID} blueprint with its id, title, timestamps and conflicts.",
    )
