"""Did-you-mean: bounded edit distance agrees with the textbook one; suggestions are sensible."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from story_gen.core.suggest import closer, closest, edit_distance

words = st.text(alphabet="abcde-", max_size=8)


def reference_distance(a: str, b: str) -> int:
    """Optimal string alignment distance, the plain full-table way."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        table[i][0] = i
    for j in range(len(b) + 1):
        table[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
    return table[len(a)][len(b)]


@given(words, words, st.integers(0, 4))
def test_bounded_distance_is_exact_within_the_bound(a: str, b: str, limit: int) -> None:
    exact = reference_distance(a, b)
    assert edit_distance(a, b, limit) == (exact if exact <= limit else limit + 1)


@given(words, st.lists(words, max_size=6))
def test_the_answer_does_not_depend_on_candidate_order(word: str, candidates: list[str]) -> None:
    assert closest(word, candidates) == closest(word, list(reversed(candidates)))


@pytest.mark.parametrize(
    ("word", "candidates", "expected"),
    [
        ("alcie", ["alice", "bob"], "alice"),
        ("hatetr", ["hatter", "alice"], "hatter"),
        ("draft", ["title", "draft_text"], "draft_text"),
        ("hopeful", ["hope", "loss"], "hope"),
        ("sky", ["hop", "hope"], None),
        ("alice", ["alice"], None),
        ("chapter-2", ["chapter-1", "chapter-3"], "chapter-1"),
    ],
)
def test_suggestions(word: str, candidates: list[str], expected: str | None) -> None:
    assert closest(word, candidates) == expected


@given(words, st.lists(words, max_size=8))
def test_closest_agrees_with_a_plain_search(word: str, candidates: list[str]) -> None:
    limit = max(1, min(3, len(word) // 3))
    near = sorted((reference_distance(word, c), c) for c in set(candidates) if c != word)
    near = [pair for pair in near if pair[0] <= limit]
    if near:
        assert closest(word, candidates) == near[0][1]
    else:
        prefixed = sorted(
            (abs(len(c) - len(word)), c)
            for c in set(candidates)
            if c != word
            and min(len(c), len(word)) >= 3
            and (c.startswith(word) or word.startswith(c))
        )
        assert closest(word, candidates) == (prefixed[0][1] if prefixed else None)


@given(words, st.lists(words, max_size=8), words)
def test_closer_follows_an_added_candidate_like_a_fresh_search(
    word: str, candidates: list[str], added: str
) -> None:
    assert closer(word, closest(word, candidates), added) == closest(word, [*candidates, added])
