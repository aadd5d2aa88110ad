"""The entity kinds and which of their fields name other entities: one table for the core.

Diagnosis (unknown references, unused themes and characters, the prerequisite graph), edits
(a rename rewrites every reference, a removal lists them) and the shape table all read this;
nobody writes the kinds out again.
"""

from __future__ import annotations

from story_gen.core.document._shape import BLUEPRINT, Kind

__all__ = ["ENTITY_LISTS", "REFERENCES", "SINGULAR"]

ENTITY_LISTS: tuple[str, ...] = tuple(f.name for f in BLUEPRINT.fields if f.kind is Kind.ENTITIES)
"""The blueprint's entity lists, in document order: themes, characters, chapters."""

SINGULAR: dict[str, str] = {f.name: f.noun for f in BLUEPRINT.fields if f.kind is Kind.ENTITIES}
"""An entity list's one-entity noun: ``chapters`` -> ``chapter``."""

REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "themes": (),
    "characters": (("relationships", "characters"),),
    "chapters": (
        ("required_themes", "themes"),
        ("participating_characters", "characters"),
        ("prerequisites", "chapters"),
    ),
}
"""Per entity list: its fields that hold keys of other entities, and the list they name."""
