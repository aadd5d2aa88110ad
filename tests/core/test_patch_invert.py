"""``invert``: a patch and its inverse take a story there and back (undo's contract)."""

from __future__ import annotations

import pytest
from hypothesis import given

from story_gen.core import PatchDoesNotApplyError, StoryBlueprint, apply_patch, diff
from story_gen.core import edits as core_edits
from story_gen.core.canonical import to_canonical_json
from story_gen.core.patch import invert
from tests.core.edit_strategies import Edit, blueprints, edit_blueprint, edits


def _same(a: StoryBlueprint, b: StoryBlueprint) -> bool:
    return to_canonical_json(a) == to_canonical_json(b)


@given(blueprints(), edits(max_size=10))
def test_applying_a_patch_then_its_inverse_gives_the_original(
    base: StoryBlueprint, sequence: list[Edit]
) -> None:
    patch = diff(base, edit_blueprint(base, sequence, "x"))
    after = apply_patch(base, patch)
    inverse = invert(base, patch)
    assert _same(apply_patch(after, inverse), base)
    # The inverse of the inverse redoes the patch.
    assert _same(apply_patch(base, invert(after, inverse)), after)
    # Given the result up front, the same inverse.
    assert invert(base, patch, after=after) == inverse


def test_inverse_of_a_draft_edit_restores_the_draft_exactly() -> None:
    bp = StoryBlueprint.model_validate(
        {
            "premise": "A storm.",
            "chapters": [
                {
                    "key": "storm",
                    "title": "The Storm",
                    "objective": "Survive.",
                    "draft_text": "First line.\nSecond line.",
                }
            ],
        }
    )
    edit = core_edits.set_field(bp, "chapter", "storm", "draft_text", "First line.\nChanged.")
    inverse = invert(bp, edit.patch, after=edit.document)
    assert apply_patch(edit.document, inverse).chapters[0].draft_text == (
        "First line.\nSecond line."
    )


def test_invert_refuses_a_patch_that_does_not_apply() -> None:
    bp = StoryBlueprint.model_validate({"premise": "One."})
    other = StoryBlueprint.model_validate({"premise": "Two."})
    patch = diff(other, StoryBlueprint.model_validate({"premise": "Three."}))
    with pytest.raises(PatchDoesNotApplyError):
        invert(bp, patch)


def test_an_inverse_refuses_a_story_changed_where_it_looks() -> None:
    bp = StoryBlueprint.model_validate({"premise": "One."})
    edit = core_edits.set_premise(bp, "Two.")
    inverse = invert(bp, edit.patch, after=edit.document)
    moved_on = core_edits.set_premise(edit.document, "Three.").document
    with pytest.raises(PatchDoesNotApplyError):
        apply_patch(moved_on, inverse)
