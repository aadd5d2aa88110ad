"""Word counts: the one rule the studio, the story bible and the CLI count words by.

A word is a run of letters or digits, in any script, that may hold an apostrophe or a
hyphen between two such runs: "don't", "Mad-Hatter" and "1865" are one word each, "--"
and "*" are none. Markdown marks a writer puts in a draft are not words. The text is counted
in NFC form, so a letter typed with a combining accent stays inside its word. The studio's
live count (web/src/editor/draft.ts) follows the same rule, checked on shared examples.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["count_words"]

_WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")


def count_words(text: str | None) -> int:
    """How many words ``text`` holds (0 for no text)."""
    if not text:
        return 0
    return sum(1 for _ in _WORD.finditer(unicodedata.normalize("NFC", text)))
