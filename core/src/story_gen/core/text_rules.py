"""How the contract normalises text, once, for every side that writes a story.

Texts (titles, objectives, statements, the premise, canon rules, ...) are trimmed of
:data:`WHITESPACE` at both ends; a draft keeps its inner and leading whitespace (it is prose)
and loses only trailing whitespace, and an all-blank draft is no draft (``None``).

:data:`WHITESPACE` is Unicode's ``White_Space`` property, which is exactly what pydantic-core's
``strip_whitespace`` (Rust's ``str::trim``) removes from a ``Text`` field. Python's
``str.strip()`` and JavaScript's ``trim()`` both differ from it (Python also strips U+001C to
U+001F; JavaScript strips U+FEFF but not U+0085), so nothing normalises with those: the web
reads :data:`WHITESPACE_CLASS` from its generated rules (``web/src/generated/rules.ts``), and
tests/core/text_cases.json holds the cases Python and TypeScript both check.

Which fields are texts and which are drafts: ``story_gen.core.edits.TEXT_FIELDS`` /
``DRAFT_FIELDS``, read from the document model's shape table. This module imports nothing,
so the contract's models can use it.
"""

from __future__ import annotations

__all__ = [
    "WHITESPACE",
    "WHITESPACE_CLASS",
    "normalize_draft",
    "trim",
    "trim_end",
]

_RANGES = (
    (0x09, 0x0D),
    (0x20, 0x20),
    (0x85, 0x85),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
)

WHITESPACE = "".join(chr(c) for low, high in _RANGES for c in range(low, high + 1))
"""Unicode White_Space: the characters trimmed from texts."""


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


WHITESPACE_CLASS = (
    "["
    + "".join(
        _escape(low) if low == high else f"{_escape(low)}-{_escape(high)}" for low, high in _RANGES
    )
    + "]"
)
""":data:`WHITESPACE` as a regular-expression character class, the same in Python's ``re`` and
in JavaScript (with the ``u`` flag)."""


def trim(text: str) -> str:
    """``text`` without :data:`WHITESPACE` at either end (what a ``Text`` field stores)."""
    return text.strip(WHITESPACE)


def trim_end(text: str) -> str:
    """``text`` without :data:`WHITESPACE` at its end."""
    return text.rstrip(WHITESPACE)


def normalize_draft(text: str) -> str | None:
    """A draft as the contract stores it: trailing whitespace dropped, blank means no draft."""
    return trim_end(text) or None
