"""Word counts: one rule (story_gen.core.words), used by the plan, the bible and the studio."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from story_gen.core import StoryBlueprint, plan
from story_gen.core.progress import manuscript_words, status_counts
from story_gen.core.words import count_words

# The same examples web/test/words.test.ts checks the editor's live count against.
_EXAMPLES = json.loads(
    (Path(__file__).parents[2] / "web" / "test" / "word-counts.json").read_text("utf-8")
)["examples"]


@pytest.mark.parametrize(("text", "words"), _EXAMPLES)
def test_examples_shared_with_the_studio(text: str, words: int) -> None:
    assert count_words(text) == words


def test_no_text_is_no_words() -> None:
    assert count_words(None) == 0


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


def test_progress_counts_statuses_in_their_order_and_the_manuscript() -> None:
    bp = StoryBlueprint.model_validate(
        {
            "chapters": [
                {"key": "a", "status": "done", "draft_text": "One two."},
                {"key": "b", "status": "idea"},
                {"key": "c"},
                {"key": "d", "status": "done", "draft_text": "Three."},
            ]
        }
    )
    assert list(status_counts(bp).items()) == [("idea", 1), ("done", 2)]
    assert manuscript_words(bp) == 3
