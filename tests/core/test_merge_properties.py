"""Merge properties over generated blueprints, stories and edit sequences."""

from __future__ import annotations

from hypothesis import event, given
from hypothesis import strategies as st

from story_gen.core import Story, StoryBlueprint, merge, to_canonical_json
from tests.core.edit_checks import lost_edits, provisional_mismatches, side_neutral
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


def _loads(document: Story | StoryBlueprint) -> None:
    text = to_canonical_json(document)
    again = type(document).model_validate_json(text)
    assert again == document
    assert to_canonical_json(again) == text


@given(blueprints(), edits())
def test_a_merge_with_an_unchanged_side_is_the_changed_side(
    base: StoryBlueprint, sequence: list[Edit]
) -> None:
    changed = edit_blueprint(base, sequence, "x")
    for result in (merge(base, changed, base), merge(base, base, changed)):
        assert to_canonical_json(result.merged) == to_canonical_json(changed)
        assert result.conflicts == []
        assert result.introduced == []


@given(blueprints(), edits())
def test_the_same_edit_on_both_sides_merges_to_it(
    base: StoryBlueprint, sequence: list[Edit]
) -> None:
    changed = edit_blueprint(base, sequence, "x")
    result = merge(base, changed, changed)
    assert to_canonical_json(result.merged) == to_canonical_json(changed)
    assert result.clean


@given(blueprints(), edit_pairs())
def test_merge_is_symmetric(base: StoryBlueprint, pair: tuple[list[Edit], list[Edit]]) -> None:
    left, right = pair
    x, y = edit_blueprint(base, left, "x"), edit_blueprint(base, right, "y")
    one, other = merge(base, x, y), merge(base, y, x)
    assert to_canonical_json(one.merged) == to_canonical_json(other.merged)
    assert side_neutral(one.merged, one.conflicts) == side_neutral(other.merged, other.conflicts)
    assert [c.conflict_id for c in one.conflicts] == [c.conflict_id for c in other.conflicts]
    assert one.introduced == other.introduced


@given(blueprints(), edit_pairs())
def test_no_edit_is_lost_and_the_result_loads(
    base: StoryBlueprint, pair: tuple[list[Edit], list[Edit]]
) -> None:
    left, right = pair
    x, y = edit_blueprint(base, left, "x"), edit_blueprint(base, right, "y")
    result = merge(base, x, y)
    for kind in sorted({c.kind for c in result.conflicts}):
        event(f"conflict kind: {kind}")
    if result.introduced:
        event("introduced an error")
    assert lost_edits(base, {"ours": x, "theirs": y}, result.merged, result.conflicts) == []
    assert provisional_mismatches(result.merged, result.conflicts) == []
    _loads(result.merged)
    for conflict in result.conflicts:
        assert conflict.ours != conflict.theirs


@given(blueprints(), edit_pairs())
def test_a_reorder_survives_when_the_other_side_keeps_the_order(
    base: StoryBlueprint, pair: tuple[list[Edit], list[Edit]]
) -> None:
    left, right = pair
    moves_only = [e for e in left if e.kind == "entity_move"]
    no_moves = [e for e in right if e.kind not in ("entity_move", "entity_add", "entity_rename")]
    x, y = edit_blueprint(base, moves_only, "x"), edit_blueprint(base, no_moves, "y")
    merged = merge(base, x, y).merged
    for name in ("themes", "characters", "chapters"):
        kept = {e.key for e in getattr(merged, name)}
        assert [e.key for e in getattr(merged, name)] == [
            e.key for e in getattr(x, name) if e.key in kept
        ]


@given(blueprints(), edit_pairs(), edits(), st.sampled_from(["ours", "theirs"]))
def test_stories_carry_conflicts_through_later_merges(
    blueprint: StoryBlueprint,
    pair: tuple[list[Edit], list[Edit]],
    later: list[Edit],
    choice: str,
) -> None:
    left, right = pair
    base = story_of(blueprint)
    x, y = edit_story(base, left, "x"), edit_story(base, right, "y")
    first = merge(base, x, y)
    merged = first.merged
    assert [c.conflict_id for c in merged.conflicts] == [c.conflict_id for c in first.conflicts]
    assert lost_edits(base, {"ours": x, "theirs": y}, merged, merged.conflicts) == []
    assert provisional_mismatches(merged, merged.conflicts) == []
    _loads(merged)
    # One side edits on; the other resolves its first conflict: both carry on.
    edited = edit_story(merged, later, "z")
    resolved = merged
    if merged.conflicts:
        from story_gen.core import resolve

        resolved = resolve(merged, merged.conflicts[0].conflict_id, choice)  # type: ignore[arg-type]
    second = merge(merged, edited, resolved)
    ids = [c.conflict_id for c in second.merged.conflicts]
    assert len(ids) == len(set(ids))
    if merged.conflicts:
        assert merged.conflicts[0].conflict_id not in ids
    for c in merged.conflicts[1:]:
        assert c.conflict_id in ids
    assert (
        lost_edits(
            merged, {"edited": edited, "resolved": resolved}, second.merged, second.merged.conflicts
        )
        == []
    )
    _loads(second.merged)


@given(blueprints(), edit_pairs())
def test_story_merges_are_symmetric_too(
    blueprint: StoryBlueprint, pair: tuple[list[Edit], list[Edit]]
) -> None:
    left, right = pair
    base = story_of(blueprint)
    x, y = edit_story(base, left, "x"), edit_story(base, right, "y")
    one, other = merge(base, x, y), merge(base, y, x)
    assert side_neutral(one.merged, one.conflicts) == side_neutral(other.merged, other.conflicts)
    assert one.merged.updated_at_utc == max(x.updated_at_utc, y.updated_at_utc)


@given(blueprints(), edit_pairs())
def test_the_cheap_screen_for_introduced_errors_agrees_with_diagnose(
    base: StoryBlueprint, pair: tuple[list[Edit], list[Edit]]
) -> None:
    from story_gen.core.merging._introduced import introduced_by_diagnose

    left, right = pair
    x, y = edit_blueprint(base, left, "x"), edit_blueprint(base, right, "y")
    result = merge(base, x, y)
    expected = [] if result.merged in (x, y) else introduced_by_diagnose(result.merged, x, y)
    assert result.introduced == expected


@given(blueprint_models(cycles=True), blueprint_models(cycles=True), blueprint_models(cycles=True))
def test_three_unrelated_realistic_blueprints_merge_symmetrically_into_a_loadable_one(
    base: StoryBlueprint, x: StoryBlueprint, y: StoryBlueprint
) -> None:
    one, other = merge(base, x, y), merge(base, y, x)
    assert side_neutral(one.merged, one.conflicts) == side_neutral(other.merged, other.conflicts)
    assert provisional_mismatches(one.merged, one.conflicts) == []
    _loads(one.merged)
    assert to_canonical_json(merge(base, x, base).merged) == to_canonical_json(x)
