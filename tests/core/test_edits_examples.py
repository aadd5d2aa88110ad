"""Examples of ``story_gen.core.edits``: what each edit changes, and its refusals."""

from __future__ import annotations

import pytest

from story_gen.core import StoryBlueprint, apply_patch, edits, load_blueprint
from tests.core.samples import base


def _bp() -> StoryBlueprint:
    return load_blueprint(base())


def _apply(bp: StoryBlueprint, edit: edits.Edit) -> StoryBlueprint:
    """The edited blueprint, checked against applying the edit's patch."""
    after = apply_patch(bp, edit.patch)
    assert after.model_dump_json() == edit.document.model_dump_json()
    return after


def test_renaming_a_chapter_rewrites_its_prerequisite_references() -> None:
    bp = _bp()
    renaming = edits.rename_key(bp, "chapter", " Opening ", "the-start")
    after = _apply(bp, renaming)
    assert [c.key for c in after.chapters] == ["the-start", "middle", "ending"]
    assert after.chapters[1].prerequisites == ["the-start"]
    assert after.chapters[0].draft_text == "Once."
    assert [r.path for r in renaming.references] == ["chapters[middle].prerequisites"]
    assert renaming.references[0].speak() == "chapter `middle` (prerequisite)"
    assert (renaming.old_key, renaming.new_key) == ("opening", "the-start")


def test_renaming_a_character_rewrites_chapters_and_relationships_in_place() -> None:
    bp = _bp()
    renaming = edits.rename_key(bp, "character", "bob", "Robert")
    after = _apply(bp, renaming)
    assert after.characters[0].relationships == {"robert": "brother"}
    assert after.chapters[2].participating_characters == ["alice", "robert"]
    assert [r.speak() for r in renaming.references] == [
        "character `alice` (relationship)",
        "chapter `middle` (participating character)",
        "chapter `ending` (participating character)",
    ]


def test_renaming_onto_a_key_a_list_already_names_keeps_it_once() -> None:
    raw = base()
    raw["chapters"][2]["required_themes"] = ["hope", "fear", "loss"]  # "fear" does not exist
    bp = StoryBlueprint.model_validate(raw)
    after = _apply(bp, edits.rename_key(bp, "theme", "loss", "fear"))
    assert after.chapters[2].required_themes == ["hope", "fear"]
    assert after.chapters[1].required_themes == ["fear"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("hopp", "x", 'There is no theme with the key "hopp". Did you mean "hope"?'),
        ("hope", "loss", 'A theme with the key "loss" already exists; pick another key.'),
        ("hope", "two words", 'The new key "two words" is not a valid key: it holds a space; use'),
        ("hope", "", 'The new key "" is not a valid key: the key is empty; use'),
    ],
)
def test_a_rename_that_cannot_be_done_says_why(old: str, new: str, message: str) -> None:
    with pytest.raises(edits.EditRejectedError) as caught:
        edits.rename_key(_bp(), "theme", old, new)
    assert str(caught.value).startswith(message)


def test_renaming_a_key_to_itself_is_an_empty_patch() -> None:
    assert edits.rename_key(_bp(), "theme", "HOPE", "hope").patch.ops == []


def test_removing_an_entity_lists_the_references_it_leaves_or_removes() -> None:
    bp = _bp()
    kept = edits.remove_entity(bp, "theme", "hope")
    assert not kept.references_removed
    assert [r.owner_key for r in kept.references] == ["opening", "ending"]
    assert _apply(bp, kept).chapters[0].required_themes == ["hope"]
    removed = edits.remove_entity(bp, "theme", "hope", remove_references=True)
    after = _apply(bp, removed)
    assert [t.key for t in after.themes] == ["loss"]
    assert after.chapters[0].required_themes == []
    assert after.chapters[2].required_themes == ["loss"]
    assert removed.references == kept.references


def test_set_field_add_move_and_list_edits() -> None:
    bp = _bp()
    bp = _apply(bp, edits.set_field(bp, "chapter", "middle", "objective", "  Run. "))
    assert bp.chapters[1].objective == "Run."
    bp = _apply(bp, edits.set_field(bp, "chapter", "middle", "draft_text", "Then.\nMore.  "))
    assert bp.chapters[1].draft_text == "Then.\nMore."
    bp = _apply(bp, edits.add_entity(bp, "chapter", {"key": "Coda"}, index=1))
    assert [c.key for c in bp.chapters] == ["opening", "coda", "middle", "ending"]
    bp = _apply(bp, edits.move_entity(bp, "chapter", "coda", 3))
    assert [c.key for c in bp.chapters] == ["opening", "middle", "ending", "coda"]
    bp = _apply(bp, edits.add_item(bp, "prerequisites", "Ending", owner=("chapter", "coda")))
    assert bp.chapters[3].prerequisites == ["ending"]
    bp = _apply(bp, edits.add_item(bp, "canon_rules", " Rabbits talk. ", index=0))
    assert bp.canon_rules == ["Rabbits talk.", "Nothing is as it seems."]
    bp = _apply(bp, edits.move_item(bp, "canon_rules", 0, 1))
    bp = _apply(bp, edits.set_item(bp, "canon_rules", 1, "Rabbits sing."))
    assert bp.canon_rules == ["Nothing is as it seems.", "Rabbits sing."]
    bp = _apply(bp, edits.remove_item(bp, "canon_rules", 0))
    assert bp.canon_rules == ["Rabbits sing."]
    bp = _apply(bp, edits.set_relationship(bp, "bob", "alice", "sister"))
    assert bp.characters[1].relationships == {"alice": "sister"}
    bp = _apply(bp, edits.remove_relationship(bp, "alice", "bob"))
    assert bp.characters[0].relationships == {}


def test_a_one_field_edit_is_one_operation() -> None:
    patch = edits.set_field(_bp(), "theme", "hope", "priority", 9).patch
    assert [(op.op, op.path) for op in patch.ops] == [("set", "themes[hope].priority")]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda bp: edits.set_field(bp, "theme", "hope", "priority", 11),
            'theme "hope": priority: Input should be less than or equal to 10',
        ),
        (
            lambda bp: edits.set_field(bp, "theme", "hope", "key", "x"),
            'A theme has no field "key" to set; choose one of name, statement, priority.',
        ),
        (
            lambda bp: edits.add_entity(bp, "character", {"key": "ALICE"}),
            'A character with the key "alice" already exists; keys must be unique.',
        ),
        (
            lambda bp: edits.add_item(bp, "canon_rules", "Nothing is as it seems."),
            '"Nothing is as it seems." is already a canon rule (at position 0).',
        ),
        (
            lambda bp: edits.add_item(bp, "canon_rules", "   "),
            "A canon rule cannot be empty; remove it instead.",
        ),
        (
            lambda bp: edits.remove_item(bp, "prerequisites", 0, owner=("chapter", "opening")),
            "There is no prerequisite at position 0: the list is empty.",
        ),
        (
            lambda bp: edits.move_entity(bp, "chapter", "opening", 3),
            "There is no chapter at position 3: positions go from 0 to 2.",
        ),
        (
            lambda bp: edits.set_relationship(bp, "alice", "carol", "friend"),
            'There is no character with the key "carol".',
        ),
        (
            lambda bp: edits.remove_relationship(bp, "bob", "alice"),
            'Character "bob" has no relationship with "alice".',
        ),
        (
            lambda bp: edits.add_item(bp, "titles", "x", owner=("chapter", "opening")),
            'A chapter has no list "titles"; choose one of required_themes, '
            "participating_characters, prerequisites.",
        ),
    ],
)
def test_refusals_say_what_is_wrong(make: object, message: str) -> None:
    with pytest.raises(edits.EditRejectedError) as caught:
        make(_bp())  # type: ignore[operator]
    assert str(caught.value) == message
