"""Opening a stored story: a matching digest skips validation, anything else validates.

The property that matters (docs/adr/0125-stored-digest-skips-revalidation.md): whatever is
changed in a stored text, the digest stored beside it no longer matches, the full path runs,
and the result is exactly what validating the changed text gives (an error included), so
invalid data never enters through the trusted path.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from story_gen.core import (
    CURRENT_SCHEMA_VERSION,
    DiagnosisSession,
    Story,
    StoryBlueprint,
    diagnose,
    migrate,
    to_canonical_json,
)
from story_gen.core.stored import DIGEST_RULE, open_story, read_story, stored_form, story_digest
from tests.core.strategies import blueprint_models, json_values, messy_blueprints, paths_of

_NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
_ID = UUID("12345678-1234-5678-1234-567812345678")


def _story(blueprint: StoryBlueprint, title: str = "The Story") -> Story:
    return Story.new(story_id=_ID, title=title, blueprint=blueprint, now=_NOW)


def _full_path(text: str) -> Story:
    """Today's full path, the reference: migrate and validate everything."""
    return Story.model_validate(migrate(json.loads(text)))


def _outcome(call: Any) -> tuple[str, Any]:
    try:
        return "ok", call()
    except (ValueError, TypeError) as error:  # JSONDecodeError and ValidationError included
        return "error", type(error).__name__


@given(blueprint_models(), st.text(min_size=1, max_size=20).filter(str.strip))
def test_a_story_opens_trusted_and_equals_the_validated_one(
    blueprint: StoryBlueprint, title: str
) -> None:
    story = _story(blueprint, title)
    text, digest = stored_form(story)
    opened = open_story(text, digest)
    assert opened.trusted
    assert opened.story == _full_path(text) == story
    assert to_canonical_json(opened.story) == text  # serialises byte for byte the same
    assert opened.session.diagnostics() == diagnose(blueprint.model_dump(mode="json"))
    assert read_story(text, digest) == story
    assert to_canonical_json(read_story(text, digest)) == text


@st.composite
def _text_tamperings(draw: st.DrawFn, text: str) -> str:
    """The stored text with a few characters replaced, inserted or deleted."""
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text) - 1))
        how = draw(st.sampled_from(["replace", "insert", "delete"]))
        char = draw(st.sampled_from([*'aZ 0"{}[],:\\é-', "\n"]))
        if how == "replace":
            text = text[:at] + char + text[at + 1 :]
        elif how == "insert":
            text = text[:at] + char + text[at:]
        else:
            text = text[:at] + text[at + 1 :]
    return text


@st.composite
def _value_tamperings(draw: st.DrawFn, text: str) -> str:
    """The stored document with one value replaced by any JSON value, written back in the
    canonical layout (so only the content differs)."""
    document = json.loads(text)
    paths = paths_of(document)
    path = draw(st.sampled_from(paths))
    container: Any = document
    for part in path[:-1]:
        container = container[part]
    container[path[-1]] = draw(json_values)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@given(blueprint_models(), st.data())
def test_any_tampering_takes_the_full_path(blueprint: StoryBlueprint, data: st.DataObject) -> None:
    text, digest = stored_form(_story(blueprint))
    tampering = data.draw(st.one_of(_text_tamperings(text), _value_tamperings(text)))
    if tampering == text:
        return  # the draw changed nothing (a value replaced by itself): not a tampering
    assert story_digest(tampering) != digest
    expected = _outcome(lambda: _full_path(tampering))
    got = _outcome(lambda: open_story(tampering, digest))
    assert got[0] == expected[0]
    if got[0] == "ok":
        assert not got[1].trusted
        assert got[1].story == expected[1]
        assert got[1].session.diagnostics() == diagnose(
            expected[1].blueprint.model_dump(mode="json")
        )
        assert read_story(tampering, digest) == expected[1]
    else:
        assert got[1] == expected[1]
        with pytest.raises((ValueError, TypeError)):
            read_story(tampering, digest)


def test_an_invalid_entity_under_the_old_digest_is_refused() -> None:
    blueprint = StoryBlueprint.model_validate(
        {"chapters": [{"key": "storm", "title": "The Storm", "draft_text": "Rain."}]}
    )
    text, digest = stored_form(_story(blueprint))
    broken = text.replace('"key": "storm"', '"key": "Not a key!"')
    assert broken != text
    with pytest.raises(ValidationError, match="key"):
        open_story(broken, digest)
    with pytest.raises(ValidationError, match="key"):
        read_story(broken, digest)


@given(messy_blueprints())
def test_a_digest_never_admits_what_validation_refuses(raw: object) -> None:
    # A messy document written in the canonical layout with a digest computed over it (as a
    # forger could): the shape check still sends anything not a current story to the full path.
    text = json.dumps(raw, indent=2) + "\n"
    expected = _outcome(lambda: _full_path(text))
    got = _outcome(lambda: open_story(text, story_digest(text)))
    assert got[0] == expected[0]


def test_no_digest_or_another_rule_validates() -> None:
    blueprint = StoryBlueprint.model_validate({"chapters": [{"key": "storm"}]})
    text, digest = stored_form(_story(blueprint))
    assert not open_story(text, None).trusted
    assert not open_story(text, "blake2b:" + "0" * 64).trusted
    assert digest.startswith("blake2b:")
    assert f"contract revision {CURRENT_SCHEMA_VERSION}" in DIGEST_RULE
    assert open_story(text, digest).trusted


def test_an_older_schema_version_is_migrated_even_with_a_matching_digest() -> None:
    blueprint = StoryBlueprint.model_validate({"chapters": [{"key": "storm"}]})
    document = json.loads(stored_form(_story(blueprint))[0])
    document["schema_version"] = 1
    text = json.dumps(document, indent=2) + "\n"
    opened = open_story(text, story_digest(text))
    assert not opened.trusted
    assert opened.story.schema_version == 2
    assert opened.story.blueprint == blueprint


def test_a_trusted_session_keeps_following_edits() -> None:
    blueprint = StoryBlueprint.model_validate(
        {"chapters": [{"key": "a"}, {"key": "b", "prerequisites": ["a"]}]}
    )
    text, digest = stored_form(_story(blueprint))
    session = open_story(text, digest).session
    session.set_field("chapters[0].prerequisites", ["b"])
    reference = DiagnosisSession(json.loads(text)["blueprint"])
    reference.set_field("chapters[0].prerequisites", ["b"])
    assert session.diagnostics() == reference.diagnostics()
    assert any(d.code == "chapter.cycle" for d in session.diagnostics())
