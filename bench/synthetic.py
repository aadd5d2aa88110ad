"""Deterministic synthetic blueprints for benchmarks, in realistic proportions.

Only the standard library (``random.Random(seed)``): this module is imported by
``bench/*.py`` on CPython and inside Pyodide alike. The same ``(chapters, seed)``
always gives the same document.

Proportions for ``n`` chapters: ``n // 20 + 5`` themes, ``n // 5 + 5`` characters,
0-3 prerequisites per chapter (always on earlier chapters, so the plan is acyclic),
1-3 themes and 2-5 characters per chapter, 0-3 relationships per character, a draft
for roughly one chapter in three.
"""

from __future__ import annotations

import random
from typing import Any

__all__ = ["synthetic_blueprint"]

_WORDS = [
    "amber",
    "lantern",
    "harbor",
    "willow",
    "ember",
    "frost",
    "meadow",
    "raven",
    "cinder",
    "marble",
    "orchard",
    "tide",
    "hollow",
    "thistle",
    "beacon",
    "quarry",
    "gable",
    "saffron",
    "lark",
    "fathom",
    "copper",
    "basin",
    "vesper",
    "moss",
    "cobalt",
    "garnet",
    "juniper",
    "keel",
    "loom",
    "mire",
    "nettle",
    "oriel",
    "pewter",
    "quill",
    "russet",
    "sable",
    "tarn",
]
_ROLES = ("protagonist", "mentor", "rival", "confidant", "antagonist", "witness", "trickster")


def _key(rng: random.Random, prefix: str, number: int) -> str:
    return f"{prefix}-{rng.choice(_WORDS)}-{rng.choice(_WORDS)}-{number}"


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + "."


def synthetic_blueprint(chapters: int, *, seed: int = 0) -> dict[str, Any]:
    """A raw (JSON-like) blueprint with ``chapters`` chapters; valid and acyclic."""
    rng = random.Random(seed)
    theme_keys = [_key(rng, "theme", i) for i in range(chapters // 20 + 5)]
    character_keys = [_key(rng, "char", i) for i in range(chapters // 5 + 5)]
    chapter_keys = [_key(rng, "ch", i) for i in range(chapters)]
    themes = [
        {"key": key, "statement": _sentence(rng, 8), "priority": rng.randint(1, 10)}
        for key in theme_keys
    ]
    characters = [
        {
            "key": key,
            "role": rng.choice(_ROLES),
            "motivation": _sentence(rng, 10),
            "voice_markers": [_sentence(rng, 3) for _ in range(rng.randint(0, 2))],
            "relationships": {
                other: _sentence(rng, 3)
                for other in rng.sample(character_keys, rng.randint(0, 3))
                if other != key
            },
        }
        for key in character_keys
    ]
    chapter_docs = []
    for index, key in enumerate(chapter_keys):
        earlier = chapter_keys[max(0, index - 50) : index]
        chapter_docs.append(
            {
                "key": key,
                "title": _sentence(rng, 4).rstrip("."),
                "objective": _sentence(rng, 14),
                "required_themes": rng.sample(theme_keys, rng.randint(1, 3)),
                "participating_characters": rng.sample(character_keys, rng.randint(2, 5)),
                "prerequisites": rng.sample(earlier, min(len(earlier), rng.randint(0, 3))),
                "draft_text": _sentence(rng, 60) if rng.random() < 0.33 else None,
            }
        )
    return {
        "premise": _sentence(rng, 20),
        "canon_rules": [_sentence(rng, 12) for _ in range(5)],
        "themes": themes,
        "characters": characters,
        "chapters": chapter_docs,
    }
