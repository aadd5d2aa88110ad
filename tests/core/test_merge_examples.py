"""Merge and resolve, case by case: what a writer sees in each situation."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from story_gen.core import (
    ConflictResolutionError,
    NewValue,
    Story,
    StoryBlueprint,
    StoryMismatchError,
    merge,
    resolve,
)

ID = UUID("00000000-0000-4000-8000-00000000000a")
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def chapter(key: str, **fields: Any) -> dict[str, Any]:
    return {"key": key, **fields}


def blueprint(*chapters: dict[str, Any], **fields: Any) -> StoryBlueprint:
    return StoryBlueprint.model_validate({"chapters": list(chapters), **fields})


def keys(document: StoryBlueprint) -> list[str]:
    return [c.key for c in document.chapters]


def story(document: StoryBlueprint, **fields: Any) -> Story:
    return Story.model_validate(
        {
            "story_id": ID,
            "title": "Alice",
            "blueprint": document,
            "created_at_utc": T0,
            "updated_at_utc": T0,
            **fields,
        }
    )


BASE = blueprint(
    chapter("a", objective="Fall."),
    chapter("b", objective="Grow.", prerequisites=["a"]),
    chapter("c", objective="Swim.", draft_text="one\ntwo\nthree\nfour\nfive"),
)


def edited(**changes: dict[str, Any]) -> StoryBlueprint:
    raw = BASE.model_dump(mode="json")
    for entry in raw["chapters"]:
        entry.update(changes.get(entry["key"], {}))
    return StoryBlueprint.model_validate(raw)


def without(*gone: str) -> StoryBlueprint:
    return BASE.model_copy(update={"chapters": [c for c in BASE.chapters if c.key not in gone]})


def test_a_field_changed_on_one_side_is_taken_from_that_side() -> None:
    result = merge(BASE, edited(a={"objective": "Fall far."}), edited(b={"title": "Two"}))
    assert result.merged.chapters[0].objective == "Fall far."
    assert result.merged.chapters[1].title == "Two"
    assert result.clean


def test_a_field_both_sides_changed_differently_is_a_value_conflict() -> None:
    ours, theirs = edited(a={"objective": "Fall far."}), edited(a={"objective": "Drop."})
    result = merge(BASE, ours, theirs)
    [conflict] = result.conflicts
    assert (conflict.kind, conflict.path) == ("value", "chapters[a].objective")
    assert (conflict.base, conflict.ours, conflict.theirs) == ("Fall.", "Fall far.", "Drop.")
    # The longer value stays in the document, whichever side it came from.
    assert conflict.provisional == "ours"
    assert result.merged.chapters[0].objective == "Fall far."
    assert "objective of chapter `a`" in conflict.message
    swapped = merge(BASE, theirs, ours)
    assert swapped.conflicts[0].conflict_id == conflict.conflict_id
    assert swapped.conflicts[0].provisional == "theirs"
    assert swapped.merged == result.merged


def test_delete_versus_edit_keeps_the_edited_entity_and_records_the_delete() -> None:
    result = merge(BASE, without("a"), edited(a={"objective": "Fall far."}))
    [conflict] = result.conflicts
    assert (conflict.kind, conflict.path) == ("delete_edit", "chapters[a]")
    assert conflict.ours is None
    assert isinstance(conflict.theirs, dict)
    assert conflict.theirs["objective"] == "Fall far."
    assert conflict.provisional == "theirs"
    assert keys(result.merged) == ["a", "b", "c"]
    assert result.merged.chapters[0].objective == "Fall far."


def test_deleting_an_entity_the_other_side_left_alone_deletes_it() -> None:
    result = merge(BASE, without("c"), edited(a={"objective": "Fall far."}))
    assert keys(result.merged) == ["a", "b"]
    assert result.clean


def test_the_same_key_added_twice_with_different_content_is_an_add_add_conflict() -> None:
    ours = BASE.model_copy(
        update={"chapters": [*BASE.chapters, *blueprint(chapter("d", title="Tea")).chapters]}
    )
    theirs = BASE.model_copy(
        update={"chapters": [*BASE.chapters, *blueprint(chapter("d", title="Party")).chapters]}
    )
    result = merge(BASE, ours, theirs)
    [conflict] = result.conflicts
    assert (conflict.kind, conflict.path, conflict.base) == ("add_add", "chapters[d]", None)
    assert result.merged.chapters[3].title == (
        "Party" if conflict.provisional == "theirs" else "Tea"
    )
    assert merge(BASE, ours, ours).clean


def test_key_lists_merge_as_ordered_sets() -> None:
    ours = edited(b={"prerequisites": ["x"]})  # removed a, added x
    theirs = edited(b={"prerequisites": ["a", "y"]})  # added y
    result = merge(BASE, ours, theirs)
    assert result.merged.chapters[1].prerequisites == ["x", "y"]
    assert result.conflicts == []


def test_relationships_merge_entry_by_entry() -> None:
    def cast(**relationships: str) -> StoryBlueprint:
        return StoryBlueprint.model_validate(
            {"characters": [{"key": "alice", "relationships": relationships}]}
        )

    base = cast(hatter="puzzled by", queen="afraid of")
    result = merge(
        base, cast(hatter="fond of", queen="afraid of"), cast(hatter="puzzled by", rabbit="follows")
    )
    assert result.merged.characters[0].relationships == {"hatter": "fond of", "rabbit": "follows"}
    assert result.clean
    removed_vs_changed = merge(
        base, cast(queen="afraid of"), cast(hatter="hates", queen="afraid of")
    )
    [conflict] = removed_vs_changed.conflicts
    assert (conflict.kind, conflict.path) == (
        "delete_edit",
        "characters[alice].relationships[hatter]",
    )
    assert (conflict.ours, conflict.theirs) == (None, "hates")
    assert removed_vs_changed.merged.characters[0].relationships["hatter"] == "hates"


def test_draft_edits_on_different_lines_both_survive() -> None:
    ours = edited(c={"draft_text": "ONE\ntwo\nthree\nfour\nfive"})
    theirs = edited(c={"draft_text": "one\ntwo\nthree\nfour\nFIVE\nsix"})
    result = merge(BASE, ours, theirs)
    assert result.merged.chapters[2].draft_text == "ONE\ntwo\nthree\nfour\nFIVE\nsix"
    assert result.clean


def test_draft_edits_of_the_same_lines_are_a_text_conflict_that_keeps_both() -> None:
    ours = edited(c={"draft_text": "ONE\ntwo\nthree\nFOUR\nfive"})
    theirs = edited(c={"draft_text": "one\ntwo\nthree\nfour, four\nfive"})
    result = merge(BASE, ours, theirs)
    [conflict] = result.conflicts
    assert (conflict.kind, conflict.path) == ("text", "chapters[c].draft_text")
    assert conflict.base == "one\ntwo\nthree\nfour\nfive"
    # Each side's version carries the other side's edit that did not collide.
    assert conflict.ours == "ONE\ntwo\nthree\nFOUR\nfive"
    assert conflict.theirs == "ONE\ntwo\nthree\nfour, four\nfive"
    assert result.merged.chapters[2].draft_text == conflict.theirs  # the longer one
    assert conflict.provisional == "theirs"


def test_insertions_of_both_sides_are_kept_in_a_deterministic_order() -> None:
    d, e = blueprint(chapter("d")).chapters[0], blueprint(chapter("e")).chapters[0]
    ours = BASE.model_copy(update={"chapters": [BASE.chapters[0], e, *BASE.chapters[1:]]})
    theirs = BASE.model_copy(update={"chapters": [BASE.chapters[0], d, *BASE.chapters[1:]]})
    assert keys(merge(BASE, ours, theirs).merged) == ["a", "d", "e", "b", "c"]
    assert keys(merge(BASE, theirs, ours).merged) == ["a", "d", "e", "b", "c"]


def test_moves_of_different_entities_both_survive() -> None:
    a, b, c = BASE.chapters
    extra = blueprint(chapter("d")).chapters[0]
    base = BASE.model_copy(update={"chapters": [a, b, c, extra]})
    ours = base.model_copy(update={"chapters": [b, c, extra, a]})  # a to the end
    theirs = base.model_copy(update={"chapters": [extra, a, b, c]})  # d to the start
    result = merge(base, ours, theirs)
    assert keys(result.merged) == ["d", "b", "c", "a"]
    assert result.clean


FIVE = blueprint(*(chapter(k) for k in "abcde"))


def reordered(order: str) -> StoryBlueprint:
    by_key = {c.key: c for c in FIVE.chapters}
    return FIVE.model_copy(update={"chapters": [by_key[k] for k in order]})


def test_the_same_entity_moved_to_two_places_is_an_order_conflict() -> None:
    ours, theirs = reordered("bcdea"), reordered("bcade")  # a to the end / a after c
    result = merge(FIVE, ours, theirs)
    [conflict] = result.conflicts
    assert (conflict.kind, conflict.path, conflict.provisional) == ("order", "chapters", "both")
    assert (conflict.base, conflict.ours, conflict.theirs) == (
        list("abcde"),
        list("bcdea"),
        list("bcade"),
    )
    assert keys(result.merged) in (list("bcdea"), list("bcade"))
    assert keys(merge(FIVE, theirs, ours).merged) == keys(result.merged)


def test_a_cycle_made_of_both_sides_prerequisites_is_reported_as_introduced() -> None:
    ours = edited(a={"prerequisites": ["c"]})  # a needs c
    theirs = edited(c={"prerequisites": ["b"]})  # c needs b, b needs a
    result = merge(BASE, ours, theirs)
    assert result.conflicts == []
    assert [d.code for d in result.introduced] == ["chapter.cycle"]
    assert not result.clean


def test_a_reference_to_an_entity_the_other_side_deleted_is_reported_as_introduced() -> None:
    result = merge(BASE, without("c"), edited(a={"prerequisites": ["c"]}))
    assert [d.code for d in result.introduced] == ["chapter.unknown_prerequisite"]
    # An error one side already had is not the merge's doing.
    broken = edited(a={"prerequisites": ["nowhere"]})
    assert merge(BASE, broken, edited(b={"title": "Two"})).introduced == []


def test_merging_stories_merges_their_conflict_lists() -> None:
    base = story(BASE)
    first = merge(
        base, story(edited(a={"objective": "Fall far."})), story(edited(a={"objective": "Drop."}))
    )
    with_conflict = first.merged
    [conflict] = with_conflict.conflicts
    assert first.conflicts == [conflict]
    # One side resolves it, the other edits on: the conflict stays resolved.
    resolved = resolve(with_conflict, conflict.conflict_id, "theirs")
    assert resolved.conflicts == []
    assert resolved.blueprint.chapters[0].objective == "Drop."
    later = with_conflict.model_copy(
        update={"title": "Alice again", "updated_at_utc": datetime(2026, 3, 2, tzinfo=UTC)}
    )
    second = merge(with_conflict, resolved, later)
    assert second.merged.conflicts == []
    assert second.merged.title == "Alice again"
    assert second.merged.blueprint.chapters[0].objective == "Drop."
    assert second.merged.updated_at_utc == datetime(2026, 3, 2, tzinfo=UTC)


def test_stories_of_different_ids_do_not_merge() -> None:
    other = story(BASE).model_copy(update={"story_id": UUID(int=7)})
    with pytest.raises(StoryMismatchError, match="not versions of one story"):
        merge(story(BASE), story(BASE), other)
    with pytest.raises(TypeError, match="three Stories or three StoryBlueprints"):
        merge(BASE, BASE, story(BASE))  # type: ignore[type-var]


def conflicted(ours: StoryBlueprint, theirs: StoryBlueprint) -> Story:
    return merge(story(BASE), story(ours), story(theirs)).merged


def test_resolve_writes_the_chosen_value_and_drops_the_conflict() -> None:
    current = conflicted(edited(a={"objective": "Fall far."}), edited(a={"objective": "Drop."}))
    [conflict] = current.conflicts
    ours = resolve(current, conflict.conflict_id, "ours")
    own = resolve(current, conflict.conflict_id, NewValue(value="Tumble."))
    assert ours.blueprint.chapters[0].objective == "Fall far."
    assert own.blueprint.chapters[0].objective == "Tumble."
    assert ours.conflicts == own.conflicts == []


def test_resolving_a_delete_edit_conflict_with_the_delete_removes_the_entity() -> None:
    current = conflicted(without("a"), edited(a={"objective": "Fall far."}))
    [conflict] = current.conflicts
    assert [c.key for c in resolve(current, conflict.conflict_id, "ours").blueprint.chapters] == [
        "b",
        "c",
    ]
    assert [c.key for c in resolve(current, conflict.conflict_id, "theirs").blueprint.chapters] == [
        "a",
        "b",
        "c",
    ]


def test_resolving_an_order_conflict_reorders_the_list() -> None:
    current = merge(story(FIVE), story(reordered("bcdea")), story(reordered("bcade"))).merged
    [conflict] = current.conflicts

    def order(resolved: Story) -> str:
        return "".join(c.key for c in resolved.blueprint.chapters)

    assert order(resolve(current, conflict.conflict_id, "ours")) == "bcdea"
    assert order(resolve(current, conflict.conflict_id, "theirs")) == "bcade"
    assert order(resolve(current, conflict.conflict_id, NewValue(value=list("edcba")))) == "edcba"


def test_resolve_refuses_unknown_conflicts_and_unfit_values() -> None:
    current = conflicted(edited(a={"objective": "Fall far."}), edited(a={"objective": "Drop."}))
    with pytest.raises(ConflictResolutionError, match="no conflict 'nope'"):
        resolve(current, "nope", "ours")
    [conflict] = current.conflicts
    with pytest.raises(ConflictResolutionError, match="objective"):
        resolve(current, conflict.conflict_id, NewValue(value=["not", "text"]))


def test_resolving_a_field_of_an_entity_deleted_since_recreates_it() -> None:
    current = conflicted(edited(a={"objective": "Fall far."}), edited(a={"objective": "Drop."}))
    [conflict] = current.conflicts
    gone = current.model_copy(update={"blueprint": without("a")})
    revived = resolve(gone, conflict.conflict_id, "ours")
    assert [(c.key, c.objective) for c in revived.blueprint.chapters][-1] == ("a", "Fall far.")
