"""The diagnosis parts agree with the contract they are derived from (no table of their own)."""

from __future__ import annotations

import pytest

from story_gen.core import DiagnosisSession, StoryBlueprint, blueprint_json_schema, diagnose
from story_gen.core.diagnosis._entity import check_entity
from story_gen.core.diagnosis._entries import REF_FIELDS, describe
from story_gen.core.diagnosis._findings import UNKNOWN
from tests.core.samples import base

_CHAPTER = {
    "key": "tea-party",
    "title": "A Mad Tea-Party",
    "objective": "Alice meets the Hatter.",
    "required_themes": ["nonsense"],
    "participating_characters": ["hatter", "alice"],
    "prerequisites": ["rabbit-hole"],
}
_CHARACTER = {
    "key": "hatter",
    "role": "host",
    "relationships": {"alice": "guest", "hare": "friend"},
}


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("chapters", _CHAPTER),
        ("chapters", {**_CHAPTER, "prerequisites": ["rabbit-hole", "tea-party"]}),
        ("characters", _CHARACTER),
        ("characters", {**_CHARACTER, "relationships": {"alice": "guest", "hatter": "self"}}),
    ],
    ids=["chapter", "chapter-self-prerequisite", "character", "character-self-relationship"],
)
def test_an_entitys_references_come_in_the_order_of_the_reference_table(
    kind: str, raw: dict[str, object]
) -> None:
    # The fast path writes the order out by hand; the cross checks read it from REF_FIELDS.
    facts = check_entity(kind, 0, raw)
    expected = tuple(
        tuple(key for key in raw[field] if key != raw["key"])  # type: ignore[attr-defined]
        for field, _ in REF_FIELDS[kind]
    )
    assert tuple(tuple(keys) for keys in facts.refs) == expected


def test_every_reference_field_has_an_unknown_reference_message() -> None:
    fields = {field for pairs in REF_FIELDS.values() for field, _ in pairs}
    assert set(UNKNOWN) == fields


@pytest.mark.parametrize("past", ["minimum", "maximum"])
def test_an_out_of_range_priority_names_the_contracts_bounds(past: str) -> None:
    priority = blueprint_json_schema()["$defs"]["Theme"]["properties"]["priority"]
    low, high = priority["minimum"], priority["maximum"]
    doc = base()
    doc["themes"][0]["priority"] = low - 1 if past == "minimum" else high + 1
    found = [d for d in diagnose(doc) if d.path == "themes[0].priority"]
    assert len(found) == 1
    assert f"between {low} and {high}" in found[0].message
    assert found[0].hint is not None
    assert f"Use {high} for the most important" in found[0].hint


def test_describe_quotes_short_text_whole_and_cuts_long_text() -> None:
    assert describe("x" * 40) == f'the text "{"x" * 40}"'
    assert describe("y" * 41) == f'the text "{"y" * 37}..."'


def test_the_sessions_blueprint_keeps_every_field_of_the_contract() -> None:
    doc = base()
    doc["word_target"] = 90_000
    assert DiagnosisSession(doc).blueprint() == StoryBlueprint.model_validate(doc)
