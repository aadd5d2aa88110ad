"""Entity keys: the identifiers themes, characters and chapters are referenced by.

A key is case-insensitive on input and lowercase once normalised, so that
``Alice`` written by hand and ``alice`` picked from a list are the same key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from story_gen.core.text_rules import trim

KEY_PATTERN = r"^[a-z][a-z0-9_-]{0,119}$"
KEY_INPUT_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]{0,119}$"
"""What a key may look like once stripped, before lowercasing (keys are case-insensitive)."""
KEY_RE = re.compile(KEY_PATTERN)
KEY_MAX_LENGTH = 120


def normalize_key(raw: str) -> str:
    """Strip and lowercase a key; the result may still be invalid (see :func:`is_valid_key`)."""
    return trim(raw).lower()


def is_valid_key(key: str) -> bool:
    return KEY_RE.fullmatch(key) is not None


KEY_RULE = "use lowercase letters, digits, - or _, starting with a letter"
"""What a key may hold, said as what to do (the end of every key problem)."""


def key_problem(key: str) -> str | None:
    """Say in writer's words why a normalised key is invalid and what to write instead.

    None when the key is valid. The advice ends with the key :func:`suggest_key` makes of
    it ("Inspector Vale" -> "... e.g. inspector-vale").
    """
    if not key:
        return f"the key is empty; {KEY_RULE}, e.g. inspector-vale"
    if len(key) > KEY_MAX_LENGTH:
        return f"the key is {len(key)} characters long; use at most {KEY_MAX_LENGTH}"
    bad = sorted({c for c in key if not (c.isascii() and (c.isalnum() or c in "_-"))})
    if bad:
        shown = " and ".join(", ".join(_char_name(c) for c in bad).rsplit(", ", 1))
        found = f"it holds {shown}"
    elif not ("a" <= key[0] <= "z"):
        found = f"it starts with {_char_name(key[0])}"
    else:
        return None
    return f"{found}; {KEY_RULE}, e.g. {suggest_key(key)}"


_CHAR_NAMES = {" ": "a space", "\t": "a tab", "\n": "a line break"}


def _char_name(char: str) -> str:
    return _CHAR_NAMES.get(char, repr(char))


def suggest_key(raw: str) -> str:
    """Turn a name or any free text into the closest valid key, the rule the studio uses too.

    "Inspector Vale" -> "inspector-vale", "Zoë" -> "zoe", "Mad Tea-Party!" -> "mad-tea-party":
    accents are dropped (NFKD, marks removed), every run of other characters becomes one
    "-", a key that would not start with a letter gets "k-" in front, and an empty result is
    "untitled". web/src/editor/keys.ts mirrors this rule; both are checked against the same
    examples (tests/core/test_key_suggestions.py and web/test/keys.test.ts).
    """
    folded = unicodedata.normalize("NFKD", raw)
    text = "".join(c for c in folded if not unicodedata.category(c).startswith("M"))
    text = normalize_key(text)
    text = re.sub(r"[^a-z0-9_-]+", "-", text).strip("-_")
    text = re.sub(r"-{2,}", "-", text)
    if not text or not text[0].isalpha():
        text = "k-" + text if text else "untitled"
    return text[:KEY_MAX_LENGTH].rstrip("-_") or "untitled"


def dedupe(items: Iterable[str]) -> list[str]:
    """Drop repeats, keeping the first occurrence's position."""
    if isinstance(items, list) and len(set(items)) == len(items):
        return items  # the common case, checked at C speed
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out
