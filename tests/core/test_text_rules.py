"""The one text rule: the case table web/test/text-rules.test.ts checks too, the contract's
own normalisation (pydantic) agreeing with it, and the tables the web reads."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from story_gen.core import StoryBlueprint
from story_gen.core.blueprint import Chapter, Text
from story_gen.core.edits import DRAFT_FIELDS, TEXT_FIELDS
from story_gen.core.text_rules import (
    WHITESPACE,
    WHITESPACE_CLASS,
    normalize_draft,
    trim,
    trim_end,
)

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "text_cases.json").read_text(encoding="utf-8")
)["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["why"] for c in CASES])
def test_the_rule_on_the_shared_cases(case: dict[str, Any]) -> None:
    assert trim(case["text"]) == case["trimmed"]
    assert normalize_draft(case["text"]) == case["draft"]
    # What a story stores is the rule: a Text field and a draft, as loading a file gives.
    assert TypeAdapter(Text).validate_python(case["text"]) == case["trimmed"]
    chapter = Chapter.model_validate({"key": "c", "draft_text": case["text"]})
    assert chapter.draft_text == case["draft"]
    # The exported pattern says the same as the functions.
    pattern = re.compile(f"^{WHITESPACE_CLASS}+|{WHITESPACE_CLASS}+$")
    assert pattern.sub("", case["text"]) == case["trimmed"]
    assert re.sub(f"{WHITESPACE_CLASS}+$", "", case["text"]) == trim_end(case["text"])


def test_whitespace_is_exactly_what_the_contract_strips() -> None:
    text = TypeAdapter(Text)
    characters = (chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF)  # no surrogates
    stripped = {c for c in characters if text.validate_python(f"{c}x{c}") == "x"}
    assert stripped == set(WHITESPACE)
    assert re.fullmatch(f"{WHITESPACE_CLASS}+", WHITESPACE)


def test_text_fields_are_the_string_fields_of_each_kind() -> None:
    bp = StoryBlueprint.model_validate(
        {
            "themes": [{"key": "t"}],
            "characters": [{"key": "c"}],
            "chapters": [{"key": "h"}],
        }
    )
    for kind, entity in (("theme", bp.themes[0]), ("character", bp.characters[0])):
        strings = [name for name, value in entity.model_dump().items() if isinstance(value, str)]
        assert list(TEXT_FIELDS[kind]) == [n for n in strings if n != "key"]  # type: ignore[index]
    assert TEXT_FIELDS["chapter"] == ("title", "objective", "draft_text")
    assert DRAFT_FIELDS == {"theme": (), "character": (), "chapter": ("draft_text",)}
