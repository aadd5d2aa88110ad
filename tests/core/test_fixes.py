"""One-click fixes of unknown references (story_gen.core.edits.fix_reference)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from story_gen.core import diagnose, edits, load_blueprint
from story_gen.core.edits import FIXABLE_CODES
from tests.core.samples import base


def _typos() -> dict[str, Any]:
    doc = base()
    doc["chapters"][0]["required_themes"] = ["hopp", "loss"]
    doc["chapters"][0]["participating_characters"] = ["alice", "zebedee"]
    doc["characters"][0]["relationships"] = {"bobb": "brother", "carol": "friend"}
    return doc


def _problem(doc: dict[str, Any], code: str) -> tuple[str, str | None]:
    [found] = [d for d in diagnose(doc) if d.code == code]
    return found.path, found.hint


def test_replace_takes_the_key_diagnose_suggested() -> None:
    doc = _typos()
    bp = load_blueprint(doc, strict=False)
    path, hint = _problem(doc, "chapter.unknown_theme")
    assert hint == 'Did you mean "hope"?'
    assert edits.suggested_replacement(bp, "chapter.unknown_theme", path) == "hope"
    fixed = edits.fix_reference(bp, "chapter.unknown_theme", path, "replace", "hope").document
    assert fixed.chapters[0].required_themes == ["hope", "loss"]
    assert not [d for d in diagnose(fixed.model_dump()) if d.code == "chapter.unknown_theme"]


def test_remove_drops_only_the_unknown_reference() -> None:
    doc = _typos()
    bp = load_blueprint(doc, strict=False)
    path, _ = _problem(doc, "chapter.unknown_character")
    fixed = edits.fix_reference(bp, "chapter.unknown_character", path, "remove").document
    assert fixed.chapters[0].participating_characters == ["alice"]


def test_a_relationship_is_renamed_in_place_keeping_its_description() -> None:
    doc = _typos()
    doc["characters"][0]["relationships"] = {"bobb": "brother", "alice": "self"}
    doc["characters"][0]["relationships"].pop("alice")
    doc["characters"][0]["relationships"]["bob-x"] = "cousin"
    bp = load_blueprint(doc, strict=False)
    [first, _] = [d for d in diagnose(doc) if d.code == "character.unknown_relationship"]
    fixed = edits.fix_reference(bp, first.code, first.path, "replace", "bob").document
    assert list(fixed.characters[0].relationships.items()) == [
        ("bob", "brother"),
        ("bob-x", "cousin"),
    ]


@pytest.mark.parametrize(
    ("code", "path", "action", "replacement", "message"),
    [
        ("chapter.unreachable", "chapters[0]", "remove", None, "no one-click fix for"),
        ("chapter.unknown_theme", "chapters[9].required_themes[0]", "remove", None, "changed"),
        ("chapter.unknown_theme", "chapters[0].required_themes[1]", "remove", None, "known"),
        ("chapter.unknown_theme", "chapters[0].required_themes[0]", "replace", "loss", "changed"),
        ("chapter.unknown_theme", "premise", "remove", None, "not a required themes reference"),
    ],
)
def test_a_fix_that_no_longer_applies_is_refused(
    code: str, path: str, action: Any, replacement: str | None, message: str
) -> None:
    bp = load_blueprint(_typos(), strict=False)
    with pytest.raises(edits.EditRejectedError, match=message):
        edits.fix_reference(bp, code, path, action, replacement)


@given(st.sampled_from(sorted(FIXABLE_CODES)), st.sampled_from(["replace", "remove", "create"]))
def test_every_offered_fix_clears_its_problem(code: str, action: Any) -> None:
    doc = _typos()
    doc["chapters"][1]["prerequisites"] = ["openin"]
    bp = load_blueprint(doc, strict=False)
    for problem in [d for d in diagnose(doc) if d.code == code]:
        suggestion = edits.suggested_replacement(bp, code, problem.path)
        if action == "replace" and suggestion is None:
            continue
        fixed = edits.fix_reference(bp, code, problem.path, action, suggestion).document
        left = [d for d in diagnose(fixed.model_dump()) if d.code == code]
        assert len(left) == len([d for d in diagnose(doc) if d.code == code]) - 1


def _circle() -> dict[str, Any]:
    doc = base()
    keys = [c["key"] for c in doc["chapters"]]
    assert len(keys) >= 2
    doc["chapters"][0]["prerequisites"] = [keys[1]]
    doc["chapters"][1]["prerequisites"] = [keys[0]]
    return doc


def test_a_cycle_is_broken_by_removing_the_prerequisite_it_points_at() -> None:
    doc = _circle()
    bp = load_blueprint(doc, strict=False)
    [cycle] = [d for d in diagnose(doc) if d.code == edits.CYCLE_CODE]
    fixed = edits.fix_reference(bp, cycle.code, cycle.path, "remove").document
    assert not [d for d in diagnose(fixed.model_dump()) if d.code == edits.CYCLE_CODE]
    changed = [
        (before.key, after.prerequisites)
        for before, after in zip(bp.chapters, fixed.chapters, strict=True)
        if before.prerequisites != after.prerequisites
    ]
    assert len(changed) == 1
    assert changed[0][1] == []


def test_a_cycle_fix_is_refused_once_the_circle_is_gone_or_for_another_action() -> None:
    doc = _circle()
    [cycle] = [d for d in diagnose(doc) if d.code == edits.CYCLE_CODE]
    bp = load_blueprint(doc, strict=False)
    with pytest.raises(edits.EditRejectedError, match="removing one of them"):
        edits.fix_reference(bp, cycle.code, cycle.path, "replace", "x")
    # The other side of the circle was cut meanwhile: the edge at the path no longer loops.
    owner = int(cycle.path.split("[")[1].split("]")[0])
    doc["chapters"][1 - owner]["prerequisites"] = []
    with pytest.raises(edits.EditRejectedError, match="no longer in a circle"):
        edits.fix_reference(load_blueprint(doc, strict=False), cycle.code, cycle.path, "remove")


@pytest.mark.parametrize(
    ("code", "collection"),
    [
        ("chapter.unknown_theme", "themes"),
        ("chapter.unknown_character", "characters"),
        ("character.unknown_relationship", "characters"),
    ],
)
def test_create_adds_the_missing_entity_under_the_referenced_key(
    code: str, collection: str
) -> None:
    doc = _typos()
    bp = load_blueprint(doc, strict=False)
    [first, *_] = [d for d in diagnose(doc) if d.code == code]
    fixed = edits.fix_reference(bp, code, first.path, "create").document
    before = [e.key for e in getattr(bp, collection)]
    after = [e.key for e in getattr(fixed, collection)]
    assert after[: len(before)] == before
    assert len(after) == len(before) + 1
    left = [d for d in diagnose(fixed.model_dump()) if d.code == code]
    assert len(left) == len([d for d in diagnose(doc) if d.code == code]) - 1


def test_create_an_unknown_prerequisite_adds_the_chapter() -> None:
    doc = _typos()
    doc["chapters"][1]["prerequisites"] = ["interlude"]
    bp = load_blueprint(doc, strict=False)
    [problem] = [d for d in diagnose(doc) if d.code == "chapter.unknown_prerequisite"]
    fixed = edits.fix_reference(bp, problem.code, problem.path, "create").document
    assert fixed.chapters[-1].key == "interlude"
    assert fixed.chapters[1].prerequisites == ["interlude"]


_GRAPHS = st.lists(
    st.lists(st.integers(0, 5), max_size=3, unique=True), min_size=2, max_size=6
).map(lambda rows: [[n % len(rows) for n in row] for row in rows])


@given(_GRAPHS)
def test_a_cycle_fix_removes_exactly_the_edge_it_points_at_and_that_edge_was_in_a_circle(
    graph: list[list[int]],
) -> None:
    keys = [f"c{i}" for i in range(len(graph))]
    doc = base()
    doc["chapters"] = [
        {"key": key, "prerequisites": sorted({keys[n] for n in row if n != i})}
        for i, (key, row) in enumerate(zip(keys, graph, strict=True))
    ]
    bp = load_blueprint(doc, strict=False)
    edges = {(c.key, p) for c in bp.chapters for p in c.prerequisites}
    for problem in [d for d in diagnose(doc) if d.code == edits.CYCLE_CODE]:
        fixed = edits.fix_reference(bp, problem.code, problem.path, "remove").document
        left = {(c.key, p) for c in fixed.chapters for p in c.prerequisites}
        [(owner, prerequisite)] = edges - left
        assert left < edges
        # The removed prerequisite led back to its chapter: the edge closed a circle.
        needs = {c.key: c.prerequisites for c in bp.chapters}
        seen, stack = {prerequisite}, [prerequisite]
        while stack:
            for nxt in needs[stack.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        assert owner in seen
