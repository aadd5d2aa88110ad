"""Paths: the strings diagnostics show and edits address round-trip to their parts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from story_gen.core import InvalidPathError, format_path, parse_path

parts = st.lists(st.one_of(st.integers(0, 10_000), st.text(max_size=10)), max_size=6)


@given(parts)
def test_format_then_parse_gives_the_parts_back(path: list[int | str]) -> None:
    assert parse_path(format_path(path)) == tuple(path)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ((), ""),
        (("chapters", 3, "prerequisites", 0), "chapters[3].prerequisites[0]"),
        (
            ("characters", 1, "relationships", "mad hatter"),
            'characters[1].relationships["mad hatter"]',
        ),
        (
            ("characters", 1, "relationships", "white-rabbit"),
            "characters[1].relationships.white-rabbit",
        ),
        ((0, "a"), "[0].a"),
        (("",), '[""]'),
    ],
)
def test_known_forms(path: tuple[int | str, ...], text: str) -> None:
    assert format_path(path) == text
    assert parse_path(text) == path


@pytest.mark.parametrize("text", ["chapters[", "chapters[x]", "a..b", ".a", "a b", "a[1]b"])
def test_malformed_paths_are_refused(text: str) -> None:
    with pytest.raises(InvalidPathError):
        parse_path(text)
