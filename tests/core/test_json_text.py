"""parse_json: JSON text in, JSON-like value out; 1-based line and column on every refusal."""

from __future__ import annotations

import json

import pytest
from hypothesis import given

from story_gen.core import JsonSyntaxError, parse_json
from tests.core.strategies import json_values


@given(json_values)
def test_parses_whatever_json_dumps_writes(value: object) -> None:
    assert parse_json(json.dumps(value, ensure_ascii=False, indent=2)) == value


def test_a_leading_byte_order_mark_is_ignored() -> None:
    assert parse_json('\ufeff{"premise": "x"}') == {"premise": "x"}


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("", 1, 1, "the file is empty; a blueprint is a JSON object {...}"),
        ('{\n  "premise": "x",\n}', 2, 17, "this comma has nothing after it"),
        ('{"themes": [1,\n ]}', 1, 14, "this comma has nothing after it"),
        ('{"a": {"b": }}', 1, 13, "expected a value here"),
        ('{"a": 1, 2}', 1, 10, "expected a field name in double quotes"),
        ('{"a": 1 "b": 2}', 1, 9, "expected a ',' between two items"),
        ('{"a" 1}', 1, 6, "expected ':' after the field name"),
        ('{"a": 1}\n{"b": 2}', 2, 1, "there is more text after the end of the JSON document"),
        ('{"a": "no end', 1, 7, "this text value is never closed with a double quote"),
        ('{"a": [1, 2', 1, 12, "the text ends before the JSON document is complete"),
        ('{"a": tru}', 1, 7, "expected a value here"),
    ],
)
def test_bad_json_says_where_and_what(text: str, line: int, column: int, message: str) -> None:
    with pytest.raises(JsonSyntaxError) as caught:
        parse_json(text)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert caught.value.message.startswith(message)
    assert isinstance(caught.value, ValueError)
    assert str(caught.value).startswith(f"line {line}, column {column}: ")


def test_a_field_written_twice_is_refused_at_its_second_occurrence() -> None:
    text = '{\n  "chapters": [\n    {"key": "a", "title": "x", "key": "b"}\n  ]\n}'
    with pytest.raises(JsonSyntaxError) as caught:
        parse_json(text)
    assert (caught.value.line, caught.value.column) == (3, 32)
    assert caught.value.message.startswith('the field "key" appears twice in this object')


def test_the_first_repeated_field_in_text_order_is_reported() -> None:
    text = '{"a": {"x": 1, "y": [{"k": 1, "k": 2}], "x": 2}, "a": 3}'
    with pytest.raises(JsonSyntaxError) as caught:
        parse_json(text)
    assert caught.value.column == text.index('"k": 2') + 1


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_refused(token: str) -> None:
    text = f'{{"themes": [{{"key": "a", "priority": {token}}}]}}'
    with pytest.raises(JsonSyntaxError) as caught:
        parse_json(text)
    assert caught.value.column == text.index(token) + 1
    assert caught.value.message.startswith(f"{token} is not a JSON number")


def test_strings_that_look_like_problems_are_fine() -> None:
    text = '{"NaN": "Infinity", "k": "\\"k\\": 1", "list": ["k", "k"]}'
    assert parse_json(text) == {"NaN": "Infinity", "k": '"k": 1', "list": ["k", "k"]}
