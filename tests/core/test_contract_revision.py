"""Contract revision 2: optional names, chapter status and word targets, and the migration to it.

What must not change: a blueprint that uses none of the new fields keeps its canonical bytes
(the revision-1 field set, in the revision-1 order), and a stored revision-1 story loads with
its blueprint untouched.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from pydantic import ValidationError

from story_gen.core import (
    CURRENT_SCHEMA_VERSION,
    StoryBlueprint,
    blueprint_json_schema,
    edits,
    load_blueprint,
    load_story,
    merge,
    migrate,
    to_canonical_json,
    to_markdown,
)
from tests.core.samples import base
from tests.core.strategies import blueprints

# The fields revision 1 wrote, in its order: today's canonical form of a blueprint that uses
# none of revision 2's fields must be exactly these.
V1_FIELDS = {
    "": ["premise", "canon_rules", "themes", "characters", "chapters"],
    "themes": ["key", "statement", "priority"],
    "characters": ["key", "role", "motivation", "voice_markers", "relationships"],
    "chapters": [
        "key",
        "title",
        "objective",
        "required_themes",
        "participating_characters",
        "prerequisites",
        "draft_text",
    ],
}


def _v1_story(blueprint: object) -> dict[str, Any]:
    return {
        "story_id": "5f0c6c1e-3b1a-4c55-9d0e-3f2a7b9c1d2e",
        "title": "Old",
        "blueprint": blueprint,
        "schema_version": 1,
        "created_at_utc": "2024-05-01T12:00:00Z",
        "updated_at_utc": "2024-05-01T12:00:00Z",
        "conflicts": [],
    }


@given(blueprints())
def test_a_revision_1_blueprint_keeps_its_canonical_form(raw: dict[str, Any]) -> None:
    written = json.loads(to_canonical_json(load_blueprint(raw, strict=False)))
    assert list(written) == V1_FIELDS[""]
    for kind in ("themes", "characters", "chapters"):
        for entity in written[kind]:
            assert list(entity) == V1_FIELDS[kind]


@given(blueprints())
def test_migrating_a_revision_1_story_is_identity_on_its_blueprint(raw: dict[str, Any]) -> None:
    old = _v1_story(raw)
    migrated = migrate(old)
    assert migrated["schema_version"] == CURRENT_SCHEMA_VERSION == 2
    assert {k: v for k, v in migrated.items() if k != "schema_version"} == {
        k: v for k, v in old.items() if k != "schema_version"
    }
    assert migrate(migrated) == migrated
    story = load_story(old, strict=False)
    assert story.schema_version == 2
    assert to_canonical_json(story.blueprint) == to_canonical_json(
        load_blueprint(raw, strict=False)
    )


def _revised() -> dict[str, Any]:
    doc = base()
    doc["themes"][0]["name"] = "Hope against hope"
    doc["characters"][0]["name"] = "Alice Liddell"
    doc["chapters"][0].update(status="drafted", word_target=2500)
    doc["word_target"] = 60000
    return doc


def test_the_new_fields_round_trip_through_the_canonical_form() -> None:
    bp = load_blueprint(_revised())
    text = to_canonical_json(bp)
    assert load_blueprint(json.loads(text)) == bp
    written = json.loads(text)
    assert written["characters"][0]["name"] == "Alice Liddell"
    assert "name" not in written["characters"][1]
    assert written["chapters"][0]["status"] == "drafted"
    assert written["word_target"] == 60000


def test_a_blank_name_is_no_name() -> None:
    doc = base()
    doc["characters"][0]["name"] = "   "
    bp = load_blueprint(doc)
    assert bp.characters[0].name is None
    assert "name" not in json.loads(to_canonical_json(bp))["characters"][0]


@pytest.mark.parametrize(
    ("field", "value"),
    [("status", "finished"), ("word_target", 0), ("word_target", "many")],
)
def test_bad_values_of_the_new_fields_are_refused(field: str, value: object) -> None:
    doc = base()
    doc["chapters"][0][field] = value
    with pytest.raises(ValidationError):
        StoryBlueprint.model_validate(doc)


def test_a_bad_status_is_explained() -> None:
    from story_gen.core import diagnose

    doc = base()
    doc["chapters"][0]["status"] = "finished"
    [found] = [d for d in diagnose(doc) if d.path == "chapters[0].status"]
    assert found.message == (
        'status is the text "finished", but it must be one of idea, outlined, drafted, '
        "revised or done."
    )


def test_the_published_schema_has_the_new_fields_optional() -> None:
    schema = blueprint_json_schema()
    assert schema["x-schema-revision"] == 2
    character = schema["$defs"]["Character"]
    assert "name" in character["properties"]
    assert "name" not in character["required"]
    assert "status" not in schema["$defs"]["Chapter"]["required"]
    assert "word_target" not in schema["required"]


def test_names_are_edited_and_merged_like_any_field() -> None:
    bp = load_blueprint(base())
    named = edits.set_field(bp, "character", "alice", "name", "Alice Liddell").document
    assert named.characters[0].name == "Alice Liddell"
    cleared = edits.set_field(named, "character", "alice", "name", " ").document
    assert cleared.characters[0].name is None
    staged = edits.set_field(bp, "chapter", "opening", "status", "outlined").document
    result = merge(bp, named, staged)
    assert not result.conflicts
    assert result.merged.characters[0].name == "Alice Liddell"
    assert result.merged.chapters[0].status == "outlined"


def test_the_bible_calls_things_by_their_names() -> None:
    text = to_markdown(load_blueprint(_revised()))
    assert "### Alice Liddell (`alice`)" in text
    assert "**Hope against hope (`hope`)**" in text
    assert "- Characters: Alice Liddell" in text
    assert "- Status: drafted" in text
    assert "- Words: 1 of 2,500 words" in text
    assert "Manuscript: 3 of 60,000 words." in text
