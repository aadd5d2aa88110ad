"""The key suggested from a name, and the advice a bad key gets: one rule, shared with the studio."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from story_gen.core.keys import (
    KEY_MAX_LENGTH,
    is_valid_key,
    key_problem,
    normalize_key,
    suggest_key,
)

# The same examples web/test/keys.test.ts checks the studio's suggestKey against.
_EXAMPLES = json.loads(
    (Path(__file__).parents[2] / "web" / "test" / "key-suggestions.json").read_text("utf-8")
)["examples"]


@pytest.mark.parametrize(("name", "key"), _EXAMPLES)
def test_a_name_suggests_the_key_the_studio_suggests(name: str, key: str) -> None:
    assert suggest_key(name) == key


@given(st.text(max_size=200))
def test_every_text_suggests_a_valid_key(text: str) -> None:
    assert is_valid_key(suggest_key(text))


@given(st.text(max_size=200))
def test_a_suggested_key_suggests_itself(text: str) -> None:
    key = suggest_key(text)
    assert suggest_key(key) == key


@given(st.text(max_size=KEY_MAX_LENGTH + 10))
def test_a_key_has_a_problem_exactly_when_it_is_invalid(text: str) -> None:
    key = normalize_key(text)
    problem = key_problem(key)
    assert (problem is None) == is_valid_key(key)
    if problem is not None and len(key) <= KEY_MAX_LENGTH:
        # The advice says what to do, with a key that would do.
        assert problem.endswith(f"e.g. {suggest_key(key) if key else 'inspector-vale'}")
        assert "use lowercase letters, digits, - or _" in problem


def test_a_name_typed_as_a_key_is_told_what_to_write() -> None:
    assert key_problem(normalize_key("Inspector Vale")) == (
        "it holds a space; use lowercase letters, digits, - or _, starting with a letter, "
        "e.g. inspector-vale"
    )
