"""Planning: writing order, depth, longest chain, coverage and appearances."""

from __future__ import annotations

import itertools

from hypothesis import given

from story_gen.core import StoryBlueprint, plan
from tests.core.strategies import blueprint_models


def _graph(bp: StoryBlueprint) -> dict[str, list[str]]:
    keys = {chapter.key for chapter in bp.chapters}
    return {
        chapter.key: [p for p in chapter.prerequisites if p in keys and p != chapter.key]
        for chapter in bp.chapters
    }


def _blocked_reference(graph: dict[str, list[str]]) -> set[str]:
    """Chapters that can reach a cycle (brute force: reachability closure)."""
    reach = {key: set(prerequisites) for key, prerequisites in graph.items()}
    changed = True
    while changed:
        changed = False
        for key in reach:
            more = set().union(*(reach[p] for p in reach[key])) - reach[key]
            if more:
                reach[key] |= more
                changed = True
    cyclic = {key for key in reach if key in reach[key]}
    return {key for key in reach if key in cyclic or reach[key] & cyclic}


def _smallest_order_reference(bp: StoryBlueprint, blocked: set[str]) -> list[str]:
    graph = _graph(bp)
    done: list[str] = []
    pending = [c.key for c in bp.chapters if c.key not in blocked]
    while pending:
        ready = next(k for k in pending if all(p in done for p in graph[k]))
        done.append(ready)
        pending.remove(ready)
    return done


@given(blueprint_models(max_chapters=10, cycles=True))
def test_writing_order_respects_prerequisites_keeps_document_order_and_blocks_cycles(
    bp: StoryBlueprint,
) -> None:
    result = plan(bp)
    keys = [chapter.key for chapter in bp.chapters]
    graph = _graph(bp)
    assert sorted(result.writing_order) == sorted(keys)  # a permutation
    blocked = _blocked_reference(graph)
    assert set(result.blocked) == blocked
    assert result.blocked == [k for k in keys if k in blocked]  # document order
    assert result.writing_order[len(keys) - len(blocked) :] == result.blocked
    position = {key: n for n, key in enumerate(result.writing_order)}
    for key in result.writing_order:
        if key not in result.blocked:
            assert all(position[p] < position[key] for p in graph[key])
    ordered = result.writing_order[: len(keys) - len(blocked)]
    assert ordered == _smallest_order_reference(bp, set(result.blocked))


@given(blueprint_models(max_chapters=10))
def test_acyclic_blueprints_have_every_chapter_ordered(bp: StoryBlueprint) -> None:
    result = plan(bp)
    assert result.blocked == []
    assert result.cycles == []
    # generated prerequisites point backwards, so document order is kept exactly
    assert result.writing_order == [chapter.key for chapter in bp.chapters]


@given(blueprint_models(max_chapters=10, cycles=True))
def test_depth_chain_coverage_and_appearances(bp: StoryBlueprint) -> None:
    result = plan(bp)
    graph = _graph(bp)
    for key, depth in result.depth.items():
        expected = 1 + max((result.depth[p] for p in graph[key]), default=-1)
        assert depth == expected
    assert set(result.depth) == set(result.writing_order) - set(result.blocked)
    if result.depth:
        chain = result.longest_chain
        assert len(chain) == max(result.depth.values()) + 1
        assert all(earlier in graph[later] for earlier, later in itertools.pairwise(chain))
        assert result.depth[chain[0]] == 0
    else:
        assert result.longest_chain == []
    columns = result.writing_order
    for grid, mapping in (
        (result.theme_coverage, result.theme_chapters),
        (result.character_coverage, result.character_chapters),
    ):
        assert grid.columns == columns
        assert list(mapping) == grid.rows
        for row, cells in zip(grid.rows, grid.cells, strict=True):
            assert [columns[c] for c in cells] == mapping[row]
            assert cells == sorted(cells)
        assert grid.unused == [row for row in grid.rows if not mapping[row]]
    chapters = {chapter.key: chapter for chapter in bp.chapters}
    assert result.theme_coverage.uncovered == [
        k for k in columns if not chapters[k].required_themes
    ]
    assert result.character_coverage.uncovered == [
        k for k in columns if not chapters[k].participating_characters
    ]
    for character, used in result.character_chapters.items():
        if used:
            assert (result.first_appearance[character], result.last_appearance[character]) == (
                used[0],
                used[-1],
            )
        else:
            assert character not in result.first_appearance


def test_a_small_plan_with_a_cycle_and_its_dependants() -> None:
    bp = StoryBlueprint.model_validate(
        {
            "themes": [{"key": "hope"}, {"key": "war"}],
            "characters": [{"key": "alice"}, {"key": "bob"}],
            "chapters": [
                {"key": "late", "prerequisites": ["early"], "required_themes": ["hope"]},
                {"key": "early", "participating_characters": ["alice"]},
                {"key": "x", "prerequisites": ["y"]},
                {"key": "y", "prerequisites": ["x"], "participating_characters": ["alice"]},
                {"key": "z", "prerequisites": ["y", "late"]},
            ],
        }
    )
    result = plan(bp)
    assert result.writing_order == ["early", "late", "x", "y", "z"]
    assert result.blocked == ["x", "y", "z"]
    assert result.cycles == [["x", "y"]]
    assert result.depth == {"early": 0, "late": 1}
    assert result.longest_chain == ["early", "late"]
    assert result.theme_coverage.unused == ["war"]
    assert result.theme_coverage.uncovered == ["early", "x", "y", "z"]
    assert result.character_coverage.unused == ["bob"]
    assert result.first_appearance == {"alice": "early"}
    assert result.last_appearance == {"alice": "y"}
