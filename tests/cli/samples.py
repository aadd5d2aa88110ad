"""Blueprints for CLI tests."""

from __future__ import annotations

from typing import Any


def done_when_blueprint() -> dict[str, Any]:
    """A 3-chapter cycle, an unknown theme, a duplicate key and a mistyped character key."""
    return {
        "premise": "A girl follows a rabbit.",
        "themes": [{"key": "curiosity"}, {"key": "Curiosity"}],
        "characters": [{"key": "alice"}],
        "chapters": [
            {
                "key": "a",
                "prerequisites": ["c"],
                "required_themes": ["curiosity"],
                "participating_characters": ["alice"],
                "draft_text": "x",
            },
            {
                "key": "b",
                "prerequisites": ["a"],
                "required_themes": ["wonder"],
                "participating_characters": ["alcie"],
                "draft_text": "x",
            },
            {
                "key": "c",
                "prerequisites": ["b"],
                "participating_characters": ["alice"],
                "draft_text": "x",
            },
        ],
    }


def cyclic_but_loadable() -> dict[str, Any]:
    return {
        "premise": "p",
        "themes": [{"key": "hope"}],
        "characters": [{"key": "alice"}],
        "chapters": [
            {
                "key": "start",
                "title": "Start",
                "required_themes": ["hope"],
                "participating_characters": ["alice"],
            },
            {"key": "x", "prerequisites": ["y", "start"]},
            {"key": "y", "prerequisites": ["x"]},
        ],
    }
