"""Patch properties: diff/apply round-trips, and rebase never overwrites."""

from __future__ import annotations

import pytest
from hypothesis import event, given

from story_gen.core import (
    Patch,
    PatchDoesNotApplyError,
    Story,
    StoryBlueprint,
    apply_patch,
    diff,
    rebase,
    to_canonical_json,
)
from story_gen.core.patch._apply import problems
from tests.core.edit_checks import lost_edits, provisional_mismatches
from tests.core.edit_strategies import (
    Edit,
    blueprints,
    edit_blueprint,
    edit_pairs,
    edit_story,
    edits,
    story_of,
)
from tests.core.strategies import blueprint_models


def _same(a: Story | StoryBlueprint, b: Story | StoryBlueprint) -> bool:
    return to_canonical_json(a) == to_canonical_json(b)


@given(blueprints(), blueprints())
def test_apply_of_diff_gives_the_target_for_any_two_blueprints(
    a: StoryBlueprint, b: StoryBlueprint
) -> None:
    patch = diff(a, b)
    assert _same(apply_patch(a, patch), b)
    assert Patch.model_validate_json(patch.model_dump_json()) == patch


@given(blueprints(), edits(max_size=10))
def test_apply_of_diff_gives_the_edited_blueprint(
    base: StoryBlueprint, sequence: list[Edit]
) -> None:
    edited = edit_blueprint(base, sequence, "x")
    patch = diff(base, edited)
    assert _same(apply_patch(base, patch), edited)
    assert (patch.ops == []) == _same(base, edited)
    assert _same(apply_patch(edited, diff(edited, base)), base)


@given(blueprints(), edit_pairs())
def test_apply_of_diff_round_trips_stories_with_conflicts(
    blueprint: StoryBlueprint, pair: tuple[list[Edit], list[Edit]]
) -> None:
    left, right = pair
    from story_gen.core import merge

    base = story_of(blueprint)
    merged = merge(base, edit_story(base, left, "x"), edit_story(base, right, "y")).merged
    for a, b in ((base, merged), (merged, base)):
        patch = diff(a, b)
        assert _same(apply_patch(a, patch), b)
        assert Patch.model_validate_json(patch.model_dump_json()) == patch


@given(blueprints(), edits())
def test_rebase_onto_the_patch_base_is_apply(base: StoryBlueprint, sequence: list[Edit]) -> None:
    edited = edit_blueprint(base, sequence, "x")
    result = rebase(base, diff(base, edited))
    assert _same(result.merged, edited)
    assert result.clean


@given(blueprints(), edit_pairs())
def test_rebase_of_a_stale_patch_keeps_both_sides_edits(
    base: StoryBlueprint, pair: tuple[list[Edit], list[Edit]]
) -> None:
    left, right = pair
    current, edited = edit_blueprint(base, left, "x"), edit_blueprint(base, right, "y")
    patch = diff(base, edited)
    result = rebase(current, patch)
    sides = {"current": current, "patch": edited}
    assert lost_edits(base, sides, result.merged, result.conflicts) == []
    assert provisional_mismatches(result.merged, result.conflicts) == []
    assert _same(
        type(result.merged).model_validate_json(to_canonical_json(result.merged)), result.merged
    )
    event("rebase: conflicts" if result.conflicts else "rebase: no conflict")
    if not problems(current, patch):
        event("rebase: patch applied exactly")
        assert _same(apply_patch(current, patch), result.merged)
        assert result.conflicts == []
    else:
        event("rebase: patch stale")
        with pytest.raises(PatchDoesNotApplyError) as refused:
            apply_patch(current, patch)
        assert refused.value.problems == problems(current, patch)


@given(blueprints(), edit_pairs())
def test_rebase_of_story_patches_keeps_conflicts_travelling(
    blueprint: StoryBlueprint, pair: tuple[list[Edit], list[Edit]]
) -> None:
    left, right = pair
    base = story_of(blueprint)
    current, edited = edit_story(base, left, "x"), edit_story(base, right, "y")
    result = rebase(current, diff(base, edited))
    assert [c.conflict_id for c in result.merged.conflicts] == [
        c.conflict_id for c in result.conflicts
    ]
    assert (
        lost_edits(base, {"current": current, "patch": edited}, result.merged, result.conflicts)
        == []
    )


@given(blueprint_models(cycles=True), blueprint_models(cycles=True))
def test_apply_of_diff_round_trips_realistic_blueprints(
    a: StoryBlueprint, b: StoryBlueprint
) -> None:
    # tests/core/strategies.py: random keys and free text (unicode, blank lines, long drafts).
    assert _same(apply_patch(a, diff(a, b)), b)
    assert _same(rebase(a, diff(a, b)).merged, b)
