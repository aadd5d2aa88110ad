"""JSON Schema export: identified, stable, and in step with the models."""

from __future__ import annotations

import json

from story_gen.core import KEY_PATTERN, SCHEMA_ID, blueprint_json_schema, story_json_schema


def test_the_blueprint_schema_is_identified_and_describes_the_canonical_form() -> None:
    schema = blueprint_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:story-gen:{SCHEMA_ID}:blueprint"
    assert schema["x-schema-version"] == SCHEMA_ID == "story_blueprint.v1"
    assert schema["title"] == "StoryBlueprint"
    assert schema["required"] == ["premise", "canon_rules", "themes", "characters", "chapters"]
    chapter = schema["$defs"]["Chapter"]
    assert chapter["additionalProperties"] is False
    assert chapter["properties"]["key"]["pattern"] == KEY_PATTERN
    assert chapter["properties"]["prerequisites"]["items"]["pattern"] == KEY_PATTERN
    assert chapter["properties"]["draft_text"]["anyOf"] == [{"type": "string"}, {"type": "null"}]
    theme = schema["$defs"]["Theme"]["properties"]["priority"]
    assert (theme["minimum"], theme["maximum"]) == (1, 10)


def test_the_story_schema_wraps_the_blueprint() -> None:
    schema = story_json_schema()
    assert schema["$id"] == f"urn:story-gen:{SCHEMA_ID}:story"
    assert schema["title"] == "Story"
    assert schema["properties"]["blueprint"] == {"$ref": "#/$defs/StoryBlueprint"}
    assert schema["properties"]["story_id"]["format"] == "uuid"


def test_the_schema_is_stable_between_calls() -> None:
    assert json.dumps(blueprint_json_schema()) == json.dumps(blueprint_json_schema())
    assert json.dumps(story_json_schema()) == json.dumps(story_json_schema())
