"""Each diagnostic code: raised exactly where it should be, with the writer-facing wording."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from story_gen.core import Diagnostic, Severity, diagnose
from tests.core.samples import base


def with_changes(**sections: Any) -> dict[str, Any]:
    doc = copy.deepcopy(base())
    doc.update(sections)
    return doc


def only(diagnostics: list[Diagnostic], code: str) -> Diagnostic:
    matching = [d for d in diagnostics if d.code == code]
    assert len(matching) == 1, diagnostics
    return matching[0]


def test_the_clean_blueprint_has_no_diagnostics() -> None:
    assert diagnose(base()) == []


def test_the_done_when_case_reports_cycle_unknown_theme_duplicate_and_typo_in_one_run() -> None:
    doc = base()
    doc["themes"].append({"key": "Hope"})  # duplicate once normalised
    doc["chapters"] += [
        {"key": "c1", "prerequisites": ["c2"], "draft_text": "x", "required_themes": ["hope"]},
        {"key": "c2", "prerequisites": ["c3"], "draft_text": "x", "required_themes": ["courage"]},
        {"key": "c3", "prerequisites": ["c1"], "draft_text": "x"},
    ]
    doc["chapters"][0]["participating_characters"] = ["alcie"]
    found = {(d.code, d.path) for d in diagnose(doc) if d.severity is Severity.ERROR}
    assert found == {
        ("key.duplicate", "themes[2].key"),
        ("chapter.unknown_character", "chapters[0].participating_characters[0]"),
        ("chapter.cycle", "chapters[3].prerequisites[0]"),
        ("chapter.unknown_theme", "chapters[4].required_themes[0]"),
    }
    cycle = only(diagnose(doc), "chapter.cycle")
    assert "c1 -> c2 -> c3 -> c1" in cycle.message
    typo = only(diagnose(doc), "chapter.unknown_character")
    assert typo.hint == 'Did you mean "alice"?'


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (None, "A blueprint should be a JSON object {...}, not null."),
        ([], "A blueprint should be a JSON object {...}, not a list."),
        ("story", 'A blueprint should be a JSON object {...}, not the text "story".'),
        (3, "A blueprint should be a JSON object {...}, not a number (3)."),
    ],
)
def test_a_document_that_is_not_an_object(raw: object, message: str) -> None:
    [problem] = diagnose(raw)
    assert (problem.code, problem.path, problem.message) == ("schema.invalid", "", message)


def test_wrong_types_and_ranges_are_schema_invalid_at_their_field() -> None:
    doc = base()
    doc["themes"][0]["priority"] = 11
    doc["chapters"][1]["title"] = 5
    doc["characters"][1]["voice_markers"] = "Oh dear"
    found = [(d.code, d.path, d.message) for d in diagnose(doc)]
    assert found == [
        (
            "schema.invalid",
            "themes[0].priority",
            "priority is 11, but it must be between 1 and 10.",
        ),
        (
            "schema.invalid",
            "characters[1].voice_markers",
            'voice_markers should be a list, not the text "Oh dear".',
        ),
        ("schema.invalid", "chapters[1].title", "title should be text, not a number (5)."),
    ]


def test_a_missing_key_is_schema_invalid() -> None:
    doc = base()
    del doc["chapters"][2]["key"]
    problem = diagnose(doc)[0]
    assert (problem.code, problem.path) == ("schema.invalid", "chapters[2].key")
    assert problem.message == "The chapter number 3 has no key."


def test_an_entity_that_is_not_an_object() -> None:
    doc = with_changes(themes=["hope"])
    problem = only(diagnose(doc), "schema.invalid")
    assert problem.path == "themes[0]"
    assert problem.message == 'Each theme should be an object {...}, not the text "hope".'


def test_a_section_that_is_not_a_list() -> None:
    problem = only(diagnose(with_changes(chapters={"key": "x"})), "schema.invalid")
    assert (problem.path, problem.message) == (
        "chapters",
        "chapters should be a list of chapters, not an object.",
    )


def test_one_bad_chapter_does_not_hide_problems_of_the_others() -> None:
    doc = base()
    doc["chapters"][0]["title"] = ["not", "text"]
    doc["chapters"][2]["required_themes"] = ["hope", "hop"]
    codes = [(d.code, d.path) for d in diagnose(doc)]
    assert codes == [
        ("schema.invalid", "chapters[0].title"),
        ("chapter.unknown_theme", "chapters[2].required_themes[1]"),
    ]


def test_a_broken_chapter_still_counts_as_existing_and_its_references_are_checked() -> None:
    doc = base()
    doc["chapters"][0]["title"] = 7  # broken, but its key "opening" still exists
    doc["chapters"][0]["required_themes"] = ["nowhere"]
    codes = {(d.code, d.path) for d in diagnose(doc)}
    assert ("chapter.unknown_prerequisite", "chapters[1].prerequisites[0]") not in codes
    assert ("chapter.unknown_theme", "chapters[0].required_themes[0]") in codes


def test_unknown_fields_suggest_the_field_meant() -> None:
    doc = base()
    doc["chapters"][1]["draft"] = doc["chapters"][1].pop("draft_text")
    doc["premis"] = "typo"
    diagnostics = diagnose(doc)
    unknown = [d for d in diagnostics if d.code == "schema.unknown_field"]
    assert [(d.path, d.message, d.hint) for d in unknown] == [
        ("premis", '"premis" is not a field of a blueprint.', 'Did you mean "premise"?'),
        ("chapters[1].draft", '"draft" is not a field of a chapter.', 'Did you mean "draft_text"?'),
    ]
    assert all(d.severity is Severity.ERROR for d in unknown)


RULE = "use lowercase letters, digits, - or _, starting with a letter, e.g."


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("", f"the key is empty; {RULE} inspector-vale"),
        ("9lives", f"it starts with '9'; {RULE} k-9lives"),
        ("Inspector Vale", f"it holds a space; {RULE} inspector-vale"),
        ("mad tea-party!", f"it holds a space and '!'; {RULE} mad-tea-party"),
        ("a" * 121, "the key is 121 characters long; use at most 120"),
    ],
)
def test_invalid_keys(key: str, problem: str) -> None:
    doc = base()
    doc["themes"][1]["key"] = key
    doc["chapters"][1]["required_themes"] = []
    doc["chapters"][2]["required_themes"] = ["hope"]
    found = only(diagnose(doc), "key.invalid")
    assert found.path == "themes[1].key"
    assert found.message == f'"{key}" is not a valid key: {problem}.'
    assert found.hint is not None
    assert found.hint.startswith("Try ")


def test_invalid_keys_inside_reference_lists_and_relationships() -> None:
    doc = base()
    doc["chapters"][0]["participating_characters"] = ["alice", "Bad Key"]
    doc["characters"][0]["relationships"] = {"bob": "brother", "no way": "x"}
    found = [(d.path, d.hint) for d in diagnose(doc) if d.code == "key.invalid"]
    assert found == [
        (
            'characters[0].relationships["no way"]',
            'Try "no-way" (a key is lowercase letters '
            'a-z, digits, "-" and "_", starting with a letter).',
        ),
        (
            "chapters[0].participating_characters[1]",
            'Try "bad-key" (a key is lowercase letters '
            'a-z, digits, "-" and "_", starting with a letter).',
        ),
    ]


def test_keys_are_normalised_before_comparison() -> None:
    doc = base()
    doc["chapters"][1]["prerequisites"] = ["  OPENING "]
    doc["characters"][0]["key"] = "Alice"
    assert diagnose(doc) == []


def test_duplicate_keys_report_each_later_copy() -> None:
    doc = base()
    doc["chapters"].append({"key": "opening", "draft_text": "again"})
    doc["chapters"].append({"key": "OPENING", "draft_text": "and again"})
    duplicates = [d for d in diagnose(doc) if d.code == "key.duplicate"]
    assert [(d.path, d.message) for d in duplicates] == [
        (
            "chapters[3].key",
            'The key "opening" is already used by chapter 1 of the list; '
            "each chapter needs its own key.",
        ),
        (
            "chapters[4].key",
            'The key "opening" is already used by chapter 1 of the list; '
            "each chapter needs its own key.",
        ),
    ]


def test_unknown_references_of_each_kind() -> None:
    doc = base()
    doc["chapters"][0]["required_themes"] = ["hope", "hopes"]
    doc["chapters"][0]["participating_characters"] = ["alice", "carol"]
    doc["chapters"][1]["prerequisites"] = ["openning"]
    doc["characters"][1]["relationships"] = {"alise": "sister"}
    found = [(d.code, d.path, d.message, d.hint) for d in diagnose(doc)]
    assert found == [
        (
            "character.unknown_relationship",
            "characters[1].relationships.alise",
            'Character "bob" has a relationship with "alise", but no character has that key.',
            'Did you mean "alice"?',
        ),
        (
            "chapter.unknown_theme",
            "chapters[0].required_themes[1]",
            'Chapter "opening" requires the theme "hopes", but no theme has that key.',
            'Did you mean "hope"?',
        ),
        (
            "chapter.unknown_character",
            "chapters[0].participating_characters[1]",
            'Chapter "opening" includes the character "carol", but no character has that key.',
            'Add a character with the key "carol", or remove "carol" from '
            "the chapter's participating characters.",
        ),
        (
            "chapter.unknown_prerequisite",
            "chapters[1].prerequisites[0]",
            'Chapter "middle" needs the chapter "openning", but no chapter has that key.',
            'Did you mean "opening"?',
        ),
    ]


def test_a_repeated_unknown_reference_is_reported_once_at_its_first_place() -> None:
    doc = base()
    doc["chapters"][0]["required_themes"] = ["hope", "ghost", "Ghost "]
    found = [d.path for d in diagnose(doc) if d.code == "chapter.unknown_theme"]
    assert found == ["chapters[0].required_themes[1]"]


def test_self_prerequisite() -> None:
    doc = base()
    doc["chapters"][1]["prerequisites"] = ["opening", "middle"]
    problem = only(diagnose(doc), "chapter.self_prerequisite")
    assert problem.path == "chapters[1].prerequisites[1]"
    assert problem.severity is Severity.ERROR
    assert problem.message == (
        'Chapter "middle" lists itself as a prerequisite; '
        "a chapter cannot be written before itself."
    )
    assert [d.code for d in diagnose(doc)] == ["chapter.self_prerequisite"]


def test_self_relationship_is_a_warning() -> None:
    doc = base()
    doc["characters"][1]["relationships"] = {"bob": "himself"}
    problem = only(diagnose(doc), "character.self_relationship")
    assert (problem.severity, problem.path) == (
        Severity.WARNING,
        "characters[1].relationships.bob",
    )


def test_a_cycle_is_reported_once_naming_the_whole_circle_at_its_earliest_chapter() -> None:
    doc = base()
    doc["chapters"][0]["prerequisites"] = ["ending"]
    problem = only(diagnose(doc), "chapter.cycle")
    assert problem.path == "chapters[0].prerequisites[0]"
    assert problem.message == (
        "These chapters wait for each other in a circle: opening -> ending -> middle -> "
        'opening, so none of them can ever be written ("a -> b" means a needs b first).'
    )
    assert (
        problem.hint
        == 'Remove one prerequisite of the circle, e.g. "ending" from chapter "opening".'
    )


def test_two_separate_cycles_are_two_diagnostics_and_tangled_chapters_are_named() -> None:
    doc = base()
    doc["chapters"] = [
        {"key": "a", "prerequisites": ["b"], "draft_text": "x"},
        {"key": "b", "prerequisites": ["a", "c"], "draft_text": "x"},
        {"key": "c", "prerequisites": ["b"], "draft_text": "x"},
        {"key": "d", "prerequisites": ["e"], "draft_text": "x"},
        {"key": "e", "prerequisites": ["d"], "draft_text": "x"},
    ]
    cycles = [d for d in diagnose(doc) if d.code == "chapter.cycle"]
    assert [d.path for d in cycles] == [
        "chapters[0].prerequisites[0]",
        "chapters[3].prerequisites[0]",
    ]
    assert "a -> b -> a (c also waits inside this loop)" in cycles[0].message
    assert "d -> e -> d," in cycles[1].message


def test_chapters_depending_on_a_cycle_are_unreachable_warnings() -> None:
    doc = base()
    doc["chapters"] = [
        {"key": "a", "prerequisites": ["b"], "draft_text": "x"},
        {"key": "b", "prerequisites": ["a"], "draft_text": "x"},
        {"key": "c", "prerequisites": ["b"], "draft_text": "x"},
        {"key": "d", "prerequisites": ["free", "c"], "draft_text": "x"},
        {"key": "free", "draft_text": "x"},
    ]
    found = [
        (d.severity, d.path, d.message) for d in diagnose(doc) if d.code == "chapter.unreachable"
    ]
    assert found == [
        (
            Severity.WARNING,
            "chapters[2].prerequisites[0]",
            'Chapter "c" can never be written: its prerequisite "b" is caught in the circle '
            "a -> b -> a.",
        ),
        (
            Severity.WARNING,
            "chapters[3].prerequisites[1]",
            'Chapter "d" can never be written: its prerequisite "c" depends on the circle '
            "a -> b -> a.",
        ),
    ]


def test_unused_themes_and_characters_are_warnings() -> None:
    doc = base()
    doc["themes"].append({"key": "war"})
    doc["characters"].append({"key": "carol", "relationships": {"alice": "friend"}})
    found = [(d.severity, d.code, d.path, d.message) for d in diagnose(doc)]
    assert found == [
        (Severity.WARNING, "theme.unused", "themes[2]", 'No chapter requires the theme "war".'),
        (
            Severity.WARNING,
            "character.unused",
            "characters[2]",
            'Character "carol" appears in no chapter.',
        ),
    ]


@pytest.mark.parametrize("premise", ["", "   ", None])
def test_an_empty_premise_is_a_warning(premise: str | None) -> None:
    doc = base()
    if premise is None:
        del doc["premise"]
    else:
        doc["premise"] = premise
    problem = only(diagnose(doc), "premise.empty")
    assert (problem.severity, problem.path, problem.message) == (
        Severity.WARNING,
        "premise",
        "The premise is empty.",
    )


@pytest.mark.parametrize("draft", [None, "", "  \n ", "MISSING"])
def test_a_chapter_without_draft_is_an_info(draft: str | None) -> None:
    doc = base()
    if draft == "MISSING":
        del doc["chapters"][1]["draft_text"]
    else:
        doc["chapters"][1]["draft_text"] = draft
    problem = only(diagnose(doc), "chapter.no_draft")
    assert (problem.severity, problem.path, problem.message) == (
        Severity.INFO,
        "chapters[1].draft_text",
        'Chapter "middle" has no draft yet.',
    )


def test_diagnostics_come_in_document_order() -> None:
    doc = base()
    doc["premise"] = ""
    doc["chapters"][2]["required_themes"] = ["nope"]
    doc["chapters"][0]["draft_text"] = None
    doc["themes"][0]["priority"] = 0
    doc["characters"][1]["relationships"] = {"zed": "?"}
    paths = [d.path for d in diagnose(doc)]
    assert paths == [
        "premise",
        "themes[0].priority",
        "characters[1].relationships.zed",
        "chapters[0].draft_text",
        "chapters[2].required_themes[0]",
    ]
