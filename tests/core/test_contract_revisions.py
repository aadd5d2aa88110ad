"""Answering a client of contract revision 1: it never sees a field it does not know, and never
erases one by writing back what it read (story_gen.core.contract_revisions)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from story_gen.core import Chapter, Character, StoryBlueprint, Theme, to_canonical_json
from story_gen.core.contract_revisions import ADDED_IN, as_revision, keep_unseen
from tests.core.strategies import blueprints
from tests.core.test_contract_revision import V1_FIELDS

PARTS: dict[str, type[BaseModel]] = {
    "blueprint": StoryBlueprint,
    "themes": Theme,
    "characters": Character,
    "chapters": Chapter,
}


def optional_by_revision(model: type[BaseModel]) -> set[str]:
    """Fields left out of the JSON while unset: the mark of a field a revision added."""
    return {name for name, info in model.model_fields.items() if info.exclude_if is not None}


def test_every_field_a_revision_added_is_in_the_table() -> None:
    for part, model in PARTS.items():
        listed = {name for parts in ADDED_IN.values() for name in parts.get(part, ())}
        assert optional_by_revision(model) == listed, part


@st.composite
def named_blueprints(draw: st.DrawFn) -> StoryBlueprint:
    """A blueprint with revision 2's fields set on some entities."""
    plain = StoryBlueprint.model_validate(draw(blueprints()))
    text = st.text("abcdefgh ", min_size=1, max_size=12).filter(str.strip)
    maybe_text = st.none() | text
    targets = st.none() | st.integers(1, 10_000)
    statuses = st.none() | st.sampled_from(["idea", "outlined", "drafted", "revised", "done"])
    return plain.model_copy(
        update={
            "word_target": draw(targets),
            "themes": [t.model_copy(update={"name": draw(maybe_text)}) for t in plain.themes],
            "characters": [
                c.model_copy(update={"name": draw(maybe_text)}) for c in plain.characters
            ],
            "chapters": [
                c.model_copy(update={"status": draw(statuses), "word_target": draw(targets)})
                for c in plain.chapters
            ],
        }
    )


def field_names(doc: dict[str, Any]) -> dict[str, set[str]]:
    found = {"": set(doc)}
    for part in ("themes", "characters", "chapters"):
        found[part] = {name for entity in doc[part] for name in entity}
    return found


@given(named_blueprints())
def test_a_revision_1_client_sees_only_revision_1_fields(blueprint: StoryBlueprint) -> None:
    sent = json.loads(to_canonical_json(as_revision(blueprint, 1)))
    for part, names in field_names(sent).items():
        assert names <= set(V1_FIELDS[part]), (part, names - set(V1_FIELDS[part]))
    assert as_revision(blueprint, 2) == blueprint


@given(named_blueprints())
def test_writing_back_what_was_read_erases_nothing(blueprint: StoryBlueprint) -> None:
    read = as_revision(blueprint, 1)
    assert keep_unseen(read, blueprint, 1) == blueprint


def test_an_edit_by_an_old_client_keeps_the_names_it_cannot_see() -> None:
    stored = StoryBlueprint.model_validate(
        {
            "premise": "A storm.",
            "word_target": 90_000,
            "characters": [
                {"key": "vale", "name": "Inspector Vale"},
                {"key": "ruth", "name": "Ruth"},
            ],
            "chapters": [{"key": "storm", "title": "The Storm", "status": "drafted"}],
        }
    )
    read = json.loads(to_canonical_json(as_revision(stored, 1)))
    read["premise"] = "A storm, and a lighthouse."
    read["characters"][1]["key"] = "ruth-ann"  # a rename: nothing of the old key to keep
    read["characters"].append({"key": "mara"})
    written = keep_unseen(StoryBlueprint.model_validate(read), stored, 1)
    assert written.premise == "A storm, and a lighthouse."
    assert written.word_target == 90_000
    assert [c.name for c in written.characters] == ["Inspector Vale", None, None]
    assert written.chapters[0].status == "drafted"


def test_a_newer_client_that_sets_a_field_is_not_overruled() -> None:
    stored = StoryBlueprint.model_validate({"themes": [{"key": "sea", "name": "The sea"}]})
    incoming = StoryBlueprint.model_validate({"themes": [{"key": "sea", "name": "Open water"}]})
    assert keep_unseen(incoming, stored, 1).themes[0].name == "Open water"
