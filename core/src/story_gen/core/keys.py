"""Entity keys: the identifiers themes, characters and chapters are referenced by.

A key is case-insensitive on input and lowercase once normalised, so that
``Alice`` written by hand and ``alice`` picked from a list are the same key.
"""

from __future__ import annotations

import re
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


def key_problem(key: str) -> str | None:
    """Say in writer's words why a normalised key is invalid, or None when it is valid."""
    if not key:
        return "the key is empty"
    if len(key) > KEY_MAX_LENGTH:
        return f"the key is {len(key)} characters long; the limit is {KEY_MAX_LENGTH}"
    if not ("a" <= key[0] <= "z"):
        return "a key must start with a letter a-z"
    bad = sorted({c for c in key if not (c.isascii() and (c.isalnum() or c in "_-"))})
    if bad:
        shown = ", ".join(repr(c) for c in bad)
        return f"a key may hold only letters a-z, digits, '-' and '_' (found {shown})"
    return None


def suggest_key(raw: str) -> str:
    """Turn free text into the closest valid key ("Mad Tea-Party!" -> "mad-tea-party")."""
    text = normalize_key(raw)
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
