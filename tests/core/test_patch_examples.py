"""Patches case by case: their format, their size, and what happens when they no longer fit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from story_gen.core import (
    Patch,
    PatchDoesNotApplyError,
    StoryBlueprint,
    apply_patch,
    diff,
    rebase,
    to_canonical_json,
)
from story_gen.core.patch import DeleteOp, InsertOp, MoveOp, SetOp, TextOp

PARAGRAPHS = [f"Paragraph {n}: the tide came in over the amber harbour." for n in range(40)]


def document(**chapters: dict[str, Any]) -> StoryBlueprint:
    return StoryBlueprint.model_validate(
        {
            "premise": "A girl follows a rabbit.",
            "themes": [{"key": "identity", "priority": 9}],
            "chapters": [{"key": key, **fields} for key, fields in chapters.items()],
        }
    )


BASE = document(
    a={"objective": "Fall.", "draft_text": "\n".join(PARAGRAPHS)},
    b={"objective": "Grow.", "prerequisites": ["a"]},
    c={"objective": "Swim."},
)


def changed(**updates: dict[str, Any]) -> StoryBlueprint:
    raw = BASE.model_dump(mode="json")
    for chapter in raw["chapters"]:
        chapter.update(updates.get(chapter["key"], {}))
    return StoryBlueprint.model_validate(raw)


def with_paragraph(index: int, text: str, source: StoryBlueprint = BASE) -> StoryBlueprint:
    lines = (source.chapters[0].draft_text or "").split("\n")
    lines[index] = text
    raw = source.model_dump(mode="json")
    raw["chapters"][0]["draft_text"] = "\n".join(lines)
    return StoryBlueprint.model_validate(raw)


def test_a_one_field_edit_is_one_set_operation_addressed_by_key() -> None:
    patch = diff(BASE, changed(b={"objective": "Grow tall."}))
    assert patch.ops == [
        SetOp(op="set", path="chapters[b].objective", old="Grow.", new="Grow tall.")
    ]
    assert json.loads(patch.model_dump_json()) == {
        "format": "story_gen.patch/1",
        "ops": [
            {"op": "set", "path": "chapters[b].objective", "old": "Grow.", "new": "Grow tall."}
        ],
    }


def test_a_one_word_draft_edit_carries_one_paragraph_each_way_not_the_draft() -> None:
    edited = with_paragraph(20, PARAGRAPHS[20].replace("amber", "copper"))
    patch = diff(BASE, edited)
    [op] = patch.ops
    assert isinstance(op, TextOp)
    [hunk] = op.hunks
    assert (hunk.at, hunk.old, hunk.new) == (
        20,
        [PARAGRAPHS[20]],
        [PARAGRAPHS[20].replace("amber", "copper")],
    )
    assert len(patch.model_dump_json()) < len(BASE.chapters[0].draft_text or "") // 5
    assert apply_patch(BASE, patch) == edited


def test_reorders_are_moves_and_a_rename_is_a_delete_and_an_insert() -> None:
    a, b, c = BASE.chapters
    patch = diff(BASE, BASE.model_copy(update={"chapters": [c, a, b]}))
    assert patch.ops == [MoveOp(op="mv", path="chapters", key="c", after=None, was="b")]
    renamed = changed(c={"key": "swim"})
    ops = diff(BASE, renamed).ops
    assert [type(op) for op in ops] == [DeleteOp, InsertOp]
    assert (ops[0].key, ops[1].key) == ("c", "swim")  # type: ignore[union-attr]
    assert to_canonical_json(apply_patch(BASE, diff(BASE, renamed))) == to_canonical_json(renamed)


def test_a_patch_refuses_a_document_that_moved_on_and_says_where() -> None:
    patch = diff(BASE, changed(b={"objective": "Grow tall."}))
    moved_on = changed(b={"objective": "Shrink."})
    with pytest.raises(PatchDoesNotApplyError) as refused:
        apply_patch(moved_on, patch)
    assert refused.value.problems == [
        "chapters[b].objective is 'Shrink.', the patch expects 'Grow.'"
    ]
    assert "rebase(current, patch)" in str(refused.value)


def test_a_patch_naming_what_a_story_does_not_have_is_refused_clearly() -> None:
    nonsense = Patch(ops=[SetOp(op="set", path="chapters[b].mood", old=None, new="grim")])
    with pytest.raises(PatchDoesNotApplyError, match="a chapter has no field 'mood'"):
        apply_patch(BASE, nonsense)
    out_of_range = Patch(ops=[SetOp(op="set", path="themes[identity].priority", old=9, new=99)])
    with pytest.raises(PatchDoesNotApplyError, match="priority"):
        apply_patch(BASE, out_of_range)
    with pytest.raises(ValidationError):
        Patch.model_validate({"ops": [{"op": "replace", "path": "premise"}]})


def test_rebase_of_a_stale_patch_keeps_the_concurrent_edit_in_a_conflict() -> None:
    patch = diff(BASE, changed(b={"objective": "Grow tall."}))
    result = rebase(changed(b={"objective": "Shrink."}, c={"title": "Pool"}), patch)
    [conflict] = result.conflicts
    assert (conflict.path, conflict.base, conflict.ours, conflict.theirs) == (
        "chapters[b].objective",
        "Grow.",
        "Shrink.",
        "Grow tall.",
    )
    assert result.merged.chapters[2].title == "Pool"


def test_rebase_of_a_patch_editing_a_chapter_deleted_since_keeps_the_edit() -> None:
    patch = diff(BASE, changed(b={"objective": "Grow tall."}))
    without_b = BASE.model_copy(update={"chapters": [BASE.chapters[0], BASE.chapters[2]]})
    result = rebase(without_b, patch)
    [conflict] = result.conflicts
    assert (conflict.kind, conflict.path, conflict.ours) == ("delete_edit", "chapters[b]", None)
    kept = {c.key: c for c in result.merged.chapters}["b"]
    assert kept.objective == "Grow tall."


def test_rebase_merges_draft_edits_of_different_paragraphs() -> None:
    patch = diff(BASE, with_paragraph(30, "Paragraph 30, rewritten by the patch."))
    current = with_paragraph(5, "Paragraph 5, rewritten meanwhile.")
    result = rebase(current, patch)
    assert result.clean
    lines = (result.merged.chapters[0].draft_text or "").split("\n")
    assert lines[5] == "Paragraph 5, rewritten meanwhile."
    assert lines[30] == "Paragraph 30, rewritten by the patch."


def test_rebase_finds_a_paragraph_that_moved_down() -> None:
    patch = diff(BASE, with_paragraph(30, "Paragraph 30, rewritten by the patch."))
    raw = BASE.model_dump(mode="json")
    raw["chapters"][0]["draft_text"] = "A new opening.\nA second new line.\n" + (
        BASE.chapters[0].draft_text or ""
    )
    result = rebase(StoryBlueprint.model_validate(raw), patch)
    assert result.clean
    lines = (result.merged.chapters[0].draft_text or "").split("\n")
    assert lines[:2] == ["A new opening.", "A second new line."]
    assert lines[32] == "Paragraph 30, rewritten by the patch."


def test_rebase_of_the_same_paragraph_rewritten_twice_is_a_text_conflict_holding_both() -> None:
    patch = diff(BASE, with_paragraph(30, "The patch's paragraph 30."))
    result = rebase(with_paragraph(30, "Meanwhile, another paragraph 30."), patch)
    [conflict] = result.conflicts
    assert (conflict.kind, conflict.path) == ("text", "chapters[a].draft_text")
    assert isinstance(conflict.ours, str)
    assert isinstance(conflict.theirs, str)
    assert "Meanwhile, another paragraph 30." in conflict.ours
    assert "The patch's paragraph 30." in conflict.theirs


def test_an_empty_patch_changes_nothing() -> None:
    patch = diff(BASE, BASE)
    assert patch.ops == []
    assert apply_patch(BASE, patch) is BASE


def test_rebase_refuses_a_patch_no_story_could_take() -> None:
    nonsense = Patch(ops=[SetOp(op="set", path="chapters[b].mood", old=None, new="grim")])
    with pytest.raises(PatchDoesNotApplyError, match="a chapter has no field 'mood'"):
        rebase(BASE, nonsense)


def test_rebase_does_not_guess_when_a_passage_the_patch_edits_is_gone() -> None:
    def drafted(text: str) -> StoryBlueprint:
        return StoryBlueprint.model_validate({"chapters": [{"key": "a", "draft_text": text}]})

    base = drafted("zero\none\ntwo\nthree")
    patch = diff(base, drafted("zero\ntwo"))  # the patch removes "one" and "three"
    current = drafted("three\nfour")  # meanwhile: "zero" to "two" removed, "four" added
    result = rebase(current, patch)
    [conflict] = result.conflicts
    assert conflict.kind == "text"
    assert {conflict.ours, conflict.theirs} == {"three\nfour", "four"}
