"""Loaders: diagnostics first; a model only when the document allows one; inputs untouched."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from story_gen.core import (
    CURRENT_SCHEMA_VERSION,
    InvalidBlueprintError,
    JsonSyntaxError,
    Story,
    StoryBlueprint,
    inspect_document,
    is_story_document,
    load_blueprint,
    load_blueprint_json,
    load_document,
    load_story,
    load_story_json,
)
from tests.core.samples import base

STORY_ID = "5f0c6c1e-3b1a-4c55-9d0e-3f2a7b9c1d2e"


def story(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "story_id": STORY_ID,
        "title": " Alice ",
        "blueprint": base(),
        "schema_version": 1,
        "created_at_utc": "2026-01-01T00:00:00Z",
        "updated_at_utc": "2026-01-02T00:00:00Z",
    }
    doc.update(changes)
    return doc


def test_load_blueprint_returns_the_validated_model() -> None:
    assert load_blueprint(base()) == StoryBlueprint.model_validate(base())


def test_load_blueprint_raises_with_every_diagnostic_and_leaves_the_input_alone() -> None:
    doc = base()
    doc["chapters"][0]["prerequisites"] = ["ending"]
    doc["themes"][0]["priority"] = "high"
    before = copy.deepcopy(doc)
    with pytest.raises(InvalidBlueprintError) as caught:
        load_blueprint(doc)
    assert [d.code for d in caught.value.diagnostics] == ["schema.invalid", "chapter.cycle"]
    assert str(caught.value).startswith("the blueprint has 2 error(s): themes[0].priority: ")
    assert doc == before


def test_warnings_do_not_block_loading() -> None:
    doc = base()
    doc["premise"] = ""
    doc["themes"].append({"key": "war"})
    assert load_blueprint(doc).themes[-1].key == "war"


def test_not_strict_accepts_cycles_and_unknown_references_but_not_schema_errors() -> None:
    doc = base()
    doc["chapters"][0]["prerequisites"] = ["ending", "nowhere"]
    assert load_blueprint(doc, strict=False).chapters[0].prerequisites == ["ending", "nowhere"]
    doc["chapters"][0]["key"] = "Not A Key"
    with pytest.raises(InvalidBlueprintError):
        load_blueprint(doc, strict=False)


def test_load_blueprint_json_reports_syntax_with_position() -> None:
    with pytest.raises(JsonSyntaxError) as caught:
        load_blueprint_json('{"premise": }')
    assert (caught.value.line, caught.value.column) == (1, 13)
    assert load_blueprint_json(json.dumps(base())) == load_blueprint(base())


def test_load_story_validates_the_envelope_and_the_blueprint() -> None:
    loaded = load_story(story())
    assert isinstance(loaded, Story)
    assert loaded.title == "Alice"
    assert loaded.blueprint == load_blueprint(base())
    assert loaded.schema_version == CURRENT_SCHEMA_VERSION
    assert load_story_json(json.dumps(story())) == loaded


def test_story_diagnostics_are_prefixed_and_in_field_order() -> None:
    doc = story(title="", created_at_utc="yesterday", colour="red")
    doc["blueprint"]["chapters"][1]["prerequisites"] = ["openng"]
    with pytest.raises(InvalidBlueprintError) as caught:
        load_story(doc)
    assert [(d.code, d.path) for d in caught.value.diagnostics] == [
        ("schema.invalid", "title"),
        ("chapter.unknown_prerequisite", "blueprint.chapters[1].prerequisites[0]"),
        ("schema.invalid", "created_at_utc"),
        ("schema.unknown_field", "colour"),
    ]


def test_a_story_without_blueprint_or_from_the_future() -> None:
    doc = story()
    del doc["blueprint"]
    inspection = inspect_document(doc)
    assert (inspection.kind, [(d.code, d.path) for d in inspection.diagnostics]) == (
        "story",
        [("schema.invalid", "blueprint")],
    )
    future = inspect_document(story(schema_version=CURRENT_SCHEMA_VERSION + 1))
    assert [d.code for d in future.diagnostics] == ["story.unsupported_version"]
    assert future.value is None


def test_documents_are_told_apart_by_their_envelope_fields() -> None:
    assert is_story_document(story())
    assert is_story_document({"blueprint": {}})
    assert not is_story_document(base())
    assert not is_story_document([])
    assert isinstance(load_document(story()), Story)
    assert isinstance(load_document(base()), StoryBlueprint)
    assert inspect_document(base()).kind == "blueprint"


def test_a_merged_story_reports_each_unresolved_conflict_as_a_warning() -> None:
    from story_gen.core import merge, resolve

    original = load_story(story())
    ours = original.model_copy(
        update={"blueprint": original.blueprint.model_copy(update={"premise": "Ours."})}
    )
    theirs = original.model_copy(
        update={"blueprint": original.blueprint.model_copy(update={"premise": "Theirs."})}
    )
    merged = merge(original, ours, theirs).merged
    assert len(merged.conflicts) == 1
    inspection = inspect_document(json.loads(merged.model_dump_json()))
    found = [d for d in inspection.diagnostics if d.code == "story.unresolved_conflict"]
    assert [(d.severity.value, d.path) for d in found] == [("warning", "conflicts[0]")]
    assert "premise" in found[0].message
    assert found[0].hint is not None
    assert merged.conflicts[0].conflict_id in found[0].hint
    assert inspection.require() == merged  # a warning: the story still loads, strictly
    settled = resolve(merged, merged.conflicts[0].conflict_id, "theirs")
    again = inspect_document(json.loads(settled.model_dump_json()))
    assert [d for d in again.diagnostics if d.code == "story.unresolved_conflict"] == []
