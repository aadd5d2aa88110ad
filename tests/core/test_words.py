"""Word counts: one rule (story_gen.core.words), used by the plan, the bible and the studio."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from story_gen.core import StoryBlueprint, plan
from story_gen.core.words import count_words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (None, 0),
        ("", 0),
        ("   \n\t", 0),
        ("Once upon a time.", 4),
        ("Don't panic — it's the Mad-Hatter’s tea, 1865.", 7),
        ("*Emphasis* and **bold** -- and a # heading", 6),
        ("Ἀχιλλεύς sulked; 阿基里斯", 3),
        ("snake_case", 2),
    ],
)
def test_examples(text: str | None, words: int) -> None:
    assert count_words(text) == words


@given(st.text(max_size=80), st.text(max_size=80), st.sampled_from([" ", "\n", "\t"]))
def test_counts_add_up_across_whitespace(a: str, b: str, space: str) -> None:
    assert count_words(a + space + b) == count_words(a) + count_words(b)


def test_the_plan_counts_each_draft_and_the_manuscript() -> None:
    bp = StoryBlueprint.model_validate(
        {
            "chapters": [
                {"key": "one", "draft_text": "It was a dark night."},
                {"key": "two"},
                {"key": "three", "draft_text": "Rain."},
            ]
        }
    )
    result = plan(bp)
    assert result.words == {"one": 5, "two": 0, "three": 1}
    assert result.total_words == 6
