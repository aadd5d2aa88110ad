"""DiagnosisSession: incremental results always equal a full diagnose() of the edited document."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from story_gen.core import DiagnosisSession, InvalidEditError, diagnose, inspect_blueprint
from tests.core.samples import base
from tests.core.strategies import apply_edit, edits, messy_blueprints


@given(st.data())
def test_incremental_diagnosis_equals_full_diagnosis_after_any_edits(data: st.DataObject) -> None:
    doc = data.draw(messy_blueprints(), label="start")
    original = copy.deepcopy(doc)
    session = DiagnosisSession(doc)
    for step in range(data.draw(st.integers(1, 8), label="steps")):
        op, path, value = data.draw(edits(doc), label=f"edit {step}")
        doc = apply_edit(doc, (op, path, value))
        if op == "set":
            session.set_field(path, value)
        else:
            session.delete(path)
        assert session.diagnostics() == diagnose(doc)
        assert session.document() == doc
    assert session.blueprint() == inspect_blueprint(doc).value
    assert original == data.draw(st.just(original))  # the caller's document was not touched


@given(st.data())
def test_incremental_hints_and_references_follow_key_renames(data: st.DataObject) -> None:
    doc = data.draw(messy_blueprints(), label="start")
    session = DiagnosisSession(doc)
    for step in range(data.draw(st.integers(2, 10), label="steps")):
        op, path, value = data.draw(edits(doc, keys_only=True), label=f"edit {step}")
        doc = apply_edit(doc, (op, path, value))
        if op == "set":
            session.set_field(path, value)
        else:
            session.delete(path)
        assert session.diagnostics() == diagnose(doc)


def _codes(session: DiagnosisSession) -> list[tuple[str, str]]:
    return [(d.code, d.path) for d in session.diagnostics()]


def test_set_field_with_a_string_path_and_the_result_matches_diagnose() -> None:
    session = DiagnosisSession(base())
    session.set_field("chapters[1].prerequisites[0]", "openning")
    assert _codes(session) == [("chapter.unknown_prerequisite", "chapters[1].prerequisites[0]")]
    session.set_field("chapters[1].prerequisites[0]", "opening")
    assert session.diagnostics() == []


def test_adding_a_prerequisite_that_closes_a_circle_and_removing_it_again() -> None:
    session = DiagnosisSession(base())
    session.set_field("chapters[0].prerequisites", ["ending"])
    assert _codes(session) == [("chapter.cycle", "chapters[0].prerequisites[0]")]
    session.delete("chapters[0].prerequisites")
    assert session.diagnostics() == []


def test_a_cycle_finding_follows_its_prerequisite_when_the_list_is_reordered() -> None:
    session = DiagnosisSession(base())
    session.set_field("chapters[0].prerequisites", ["ending"])
    session.set_field("chapters[0].prerequisites", ["opening", "ending"])  # same graph
    assert _codes(session) == [
        ("chapter.self_prerequisite", "chapters[0].prerequisites[0]"),
        ("chapter.cycle", "chapters[0].prerequisites[1]"),
    ]
    assert session.diagnostics() == diagnose(session.document())


def test_renaming_a_key_resolves_and_breaks_references_and_updates_hints() -> None:
    doc = base()
    doc["chapters"][2]["required_themes"] = ["hope", "hopeful"]
    session = DiagnosisSession(doc)
    [before] = session.diagnostics()
    assert before.hint == 'Did you mean "hope"?'
    session.set_field("themes[1].key", "hopefull")  # "loss" becomes "hopefull"
    assert session.diagnostics() == diagnose(session.document())
    hints = {d.path: d.hint for d in session.diagnostics()}
    assert hints == {
        "themes[1]": "Add it to the required themes of the chapters that explore it, "
        "or remove the theme.",
        "chapters[1].required_themes[0]": 'Add a theme with the key "loss", or remove "loss" '
        "from the chapter's required themes.",
        "chapters[2].required_themes[1]": 'Did you mean "hopefull"?',
    }
    session.set_field("themes[1].key", "hopeful")
    assert _codes(session) == [("chapter.unknown_theme", "chapters[1].required_themes[0]")]


def test_a_duplicate_key_appears_and_disappears_with_edits() -> None:
    session = DiagnosisSession(base())
    session.set_field("characters[1].key", "Alice")
    assert ("key.duplicate", "characters[1].key") in _codes(session)
    session.set_field("characters[1].key", "bob")
    assert session.diagnostics() == []


def test_appending_and_deleting_entities() -> None:
    session = DiagnosisSession(base())
    session.set_field("themes[2]", {"key": "war"})
    assert _codes(session) == [("theme.unused", "themes[2]")]
    session.delete("themes[2]")
    assert session.diagnostics() == []
    session.delete("chapters[0]")  # not the last one: every later path moves
    assert session.diagnostics() == diagnose(session.document())
    assert ("chapter.unknown_prerequisite", "chapters[0].prerequisites[0]") in _codes(session)


def test_replacing_the_whole_document_or_a_section() -> None:
    session = DiagnosisSession(base())
    session.set_field("", [])
    assert _codes(session) == [("schema.invalid", "")]
    session.set_field("", base())
    session.set_field("chapters", "none")
    assert _codes(session) == [
        ("schema.invalid", "chapters"),
        ("theme.unused", "themes[0]"),
        ("theme.unused", "themes[1]"),
        ("character.unused", "characters[0]"),
        ("character.unused", "characters[1]"),
    ]


@pytest.mark.parametrize(
    "path",
    [
        "chapters[9].title",
        "chapters[3]x",
        "chapters[0].title.deeper",
        "premise[0]",
        "nowhere.below",
        ("chapters", "first"),
        ("chapters", -1),
    ],
)
def test_an_edit_at_a_location_that_does_not_exist_changes_nothing(path: str) -> None:
    session = DiagnosisSession(base())
    before = copy.deepcopy(session.document())
    with pytest.raises(InvalidEditError):
        session.set_field(path, "x")
    with pytest.raises(InvalidEditError):
        session.delete(path)
    assert session.document() == before
    assert session.diagnostics() == []


def test_the_whole_document_cannot_be_deleted_and_a_non_object_cannot_be_edited_inside() -> None:
    session = DiagnosisSession(["not", "an", "object"])
    with pytest.raises(InvalidEditError):
        session.delete("")
    with pytest.raises(InvalidEditError):
        session.set_field("premise", "x")


def test_update_entity_is_set_field_on_the_entity() -> None:
    session = DiagnosisSession(base())
    session.update_entity("chapters", 0, {"key": "opening", "title": 5})
    assert session.diagnostics() == diagnose(session.document())
    assert ("schema.invalid", "chapters[0].title") in _codes(session)
