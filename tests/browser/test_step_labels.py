"""Undo step labels name things as the writer does: a chapter by its title, a theme or a
character by its name (its key when it has none)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from story_gen.browser._edits import EditOp
from story_gen.browser._step_labels import label_of
from story_gen.core import StoryBlueprint

BP = StoryBlueprint.model_validate(
    {
        "themes": [{"key": "sea", "name": "The open sea"}, {"key": "home"}],
        "characters": [{"key": "vale", "name": "Inspector Vale"}, {"key": "ruth"}],
        "chapters": [{"key": "storm", "title": "The Storm"}],
    }
)
OPS = TypeAdapter(EditOp)


def label(op: dict[str, Any]) -> str:
    return label_of(BP, BP, OPS.validate_python(op))


@pytest.mark.parametrize(
    ("op", "expected"),
    [
        (
            {
                "op": "set_field",
                "kind": "chapter",
                "key": "storm",
                "field": "draft_text",
                "value": "x",
            },
            "draft of 'The Storm'",
        ),
        (
            {"op": "set_field", "kind": "character", "key": "vale", "field": "role", "value": "x"},
            "role of 'Inspector Vale'",
        ),
        (
            {"op": "set_field", "kind": "theme", "key": "home", "field": "statement", "value": "x"},
            "statement of theme 'home'",
        ),
        ({"op": "set_word_target", "value": 80000}, "manuscript word target"),
        (
            {"op": "fix_reference", "code": "chapter.cycle", "path": "p", "action": "remove"},
            "removing a prerequisite from a circle",
        ),
        (
            {
                "op": "fix_reference",
                "code": "chapter.unknown_prerequisite",
                "path": "p",
                "action": "create",
            },
            "creating the missing chapter",
        ),
        (
            {
                "op": "fix_reference",
                "code": "chapter.unknown_theme",
                "path": "p",
                "action": "remove",
            },
            "removing an unknown reference",
        ),
    ],
)
def test_labels_use_the_names_a_writer_reads(op: dict[str, Any], expected: str) -> None:
    assert label(op) == expected
