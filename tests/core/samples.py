"""Small hand-written blueprints shared by the core tests."""

from __future__ import annotations

from typing import Any

__all__ = ["base"]


def base() -> dict[str, Any]:
    """A clean blueprint: diagnose() finds nothing at all in it."""
    return {
        "premise": "A girl follows a rabbit.",
        "canon_rules": ["Nothing is as it seems."],
        "themes": [
            {"key": "hope", "statement": "Hope wins.", "priority": 8},
            {"key": "loss", "statement": "Everything ends.", "priority": 3},
        ],
        "characters": [
            {"key": "alice", "role": "hero", "relationships": {"bob": "brother"}},
            {"key": "bob", "role": "brother"},
        ],
        "chapters": [
            {
                "key": "opening",
                "required_themes": ["hope"],
                "participating_characters": ["alice"],
                "draft_text": "Once.",
            },
            {
                "key": "middle",
                "required_themes": ["loss"],
                "participating_characters": ["bob"],
                "prerequisites": ["opening"],
                "draft_text": "Then.",
            },
            {
                "key": "ending",
                "required_themes": ["hope", "loss"],
                "participating_characters": ["alice", "bob"],
                "prerequisites": ["middle"],
                "draft_text": "Finally.",
            },
        ],
    }
