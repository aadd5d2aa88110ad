"""The draft delta: a shortest edit script, found with bounded work (issue 13, item 1)."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from story_gen.core.document import Hunk, hunks, merge_lines
from story_gen.core.document._text import diff_budget

_LINES = st.lists(st.sampled_from(["a", "b", "c", ""]), max_size=14)


def _apply(lines: list[str], changes: list[Hunk]) -> list[str]:
    out: list[str] = []
    position = 0
    for hunk in changes:
        out += lines[position : hunk.start]
        out += hunk.lines
        position = hunk.end
    return out + lines[position:]


def _common(a: list[str], b: list[str]) -> int:
    """The length of a longest common subsequence (the textbook table)."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            table[i][j] = (
                table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
            )
    return table[0][0]


@given(_LINES, _LINES)
def test_hunks_turn_a_into_b_and_change_as_few_lines_as_possible(
    a: list[str], b: list[str]
) -> None:
    changes = hunks(a, b)
    assert _apply(a, changes) == b
    assert all(one.end < other.start for one, other in pairwise(changes))
    changed = sum(hunk.end - hunk.start + len(hunk.lines) for hunk in changes)
    assert changed == len(a) + len(b) - 2 * _common(a, b)


@given(_LINES, _LINES)
def test_past_the_budget_the_changed_middle_is_one_hunk_and_still_correct(
    a: list[str], b: list[str]
) -> None:
    changes = hunks(a, b, budget=0)
    assert _apply(a, changes) == b
    assert len(changes) <= 1


def test_a_crafted_draft_of_repeated_lines_gets_one_coarse_hunk() -> None:
    # Every line differs: a shortest script needs 4,000 steps of 4,000 diagonals each.
    a, b = ["a"] * 2000, ["b"] * 2000
    assert diff_budget(2000, 2000) < 2000 * 2000
    assert hunks(a, b) == [Hunk(0, 2000, b)]


def test_a_crafted_stale_push_of_repeated_lines_is_a_conflict_that_keeps_both_versions() -> None:
    base = ["x", "", "y"] * 700
    ours = ["x", "", "z"] * 700
    theirs = ["w", "", "y"] * 700
    merged = merge_lines(base, ours, theirs)
    assert not merged.clean
    assert merged.ours == ours
    assert merged.theirs == theirs


def test_few_edits_in_a_long_draft_of_repeated_lines_still_merge_cleanly() -> None:
    base = ["line", ""] * 2000
    ours = [*base[:10], "ours", *base[10:]]
    theirs = [*base[:3000], "theirs", *base[3000:]]
    merged = merge_lines(base, ours, theirs)
    assert merged.clean
    assert merged.ours == [*base[:10], "ours", *base[10:3000], "theirs", *base[3000:]]
