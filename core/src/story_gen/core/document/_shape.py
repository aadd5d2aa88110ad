"""The shape of a story as merge, patch and describe see it: which field is what kind of value.

One table instead of one hand-written walker per model: a field is a scalar, a text
merged line by line, an ordered set of strings, an ordered map, a list of entities
addressed by key, the blueprint nested inline in a Story, or the Story's conflict list.
Everything that walks a document (three-way merge, diff, apply, describe) dispatches on
these kinds, so a new field needs one line here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

from pydantic import BaseModel

from story_gen.core.blueprint import Chapter, Character, StoryBlueprint, Theme
from story_gen.core.story import Story

__all__ = ["BLUEPRINT", "STORY", "Field", "Kind", "Shape", "shape_of"]


class Kind(Enum):
    SCALAR = "scalar"
    TEXT = "text"
    """A ``str | None`` merged and patched line by line (``draft_text``)."""
    SET = "set"
    """An ordered list of distinct strings (key lists, canon rules, voice markers)."""
    MAP = "map"
    """An ordered ``dict[key, str]`` (relationships); its key order is part of the document."""
    ENTITIES = "entities"
    """An ordered list of records with a unique ``key`` (themes, characters, chapters)."""
    INLINE = "inline"
    """A nested record whose fields are addressed as if they were the parent's (Story.blueprint)."""
    CONFLICTS = "conflicts"
    """The Story's unresolved conflicts: immutable records addressed by ``conflict_id``."""


BothChanged = Literal["conflict", "earliest", "latest"]


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    noun: str
    """What one value (or one element) is called in sentences: "objective", "prerequisite"."""
    label: str
    """What the studio's editor calls the field ("Required themes"); places, dialogs and hints
    name a field by it, so a writer reads in a message the words they see above the field."""
    shape: Shape | None = None
    """The element shape of ENTITIES, the nested shape of INLINE."""
    both_changed: BothChanged = "conflict"
    """What a scalar becomes when both sides changed it: a conflict, or the earlier/later value."""


@dataclass(frozen=True)
class Shape:
    model: type[BaseModel]
    noun: str
    fields: tuple[Field, ...]
    by_name: dict[str, Field] = field(init=False, repr=False, compare=False)
    maps: tuple[str, ...] = field(init=False, repr=False, compare=False)
    """The MAP fields: their key order is content, which ``==`` on dicts ignores."""
    flat: bool = field(init=False, repr=False, compare=False)
    """Whether every field holds plain values (no nested records): an entity."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})
        object.__setattr__(self, "maps", tuple(f.name for f in self.fields if f.kind is Kind.MAP))
        nested = (Kind.ENTITIES, Kind.INLINE, Kind.CONFLICTS)
        object.__setattr__(self, "flat", all(f.kind not in nested for f in self.fields))

    def find(self, name: str) -> tuple[Field, tuple[Field, ...]] | None:
        """The field called ``name`` and the INLINE fields leading to it, or None."""
        if name in self.by_name:
            return self.by_name[name], ()
        for f in self.fields:
            if f.kind is Kind.INLINE and f.shape is not None:
                found = f.shape.find(name)
                if found is not None:
                    return found[0], (f, *found[1])
        return None


THEME = Shape(
    Theme,
    "theme",
    (
        Field("name", Kind.SCALAR, "name", "Name"),
        Field("statement", Kind.SCALAR, "statement", "Statement"),
        Field("priority", Kind.SCALAR, "priority", "Priority"),
    ),
)
CHARACTER = Shape(
    Character,
    "character",
    (
        Field("name", Kind.SCALAR, "name", "Name"),
        Field("role", Kind.SCALAR, "role", "Role"),
        Field("motivation", Kind.SCALAR, "motivation", "Motivation"),
        Field("voice_markers", Kind.SET, "voice marker", "Voice markers"),
        Field("relationships", Kind.MAP, "relationship", "Relationships"),
    ),
)
CHAPTER = Shape(
    Chapter,
    "chapter",
    (
        Field("title", Kind.SCALAR, "title", "Title"),
        Field("objective", Kind.SCALAR, "objective", "Objective"),
        Field("required_themes", Kind.SET, "required theme", "Required themes"),
        Field(
            "participating_characters",
            Kind.SET,
            "participating character",
            "Participating characters",
        ),
        Field("prerequisites", Kind.SET, "prerequisite", "Prerequisites"),
        Field("draft_text", Kind.TEXT, "draft", "Draft text"),
        Field("status", Kind.SCALAR, "status", "Status"),
        Field("word_target", Kind.SCALAR, "word target", "Word target"),
    ),
)
BLUEPRINT = Shape(
    StoryBlueprint,
    "blueprint",
    (
        Field("premise", Kind.SCALAR, "premise", "Premise"),
        Field("canon_rules", Kind.SET, "canon rule", "Canon rules"),
        Field("themes", Kind.ENTITIES, "theme", "Themes", THEME),
        Field("characters", Kind.ENTITIES, "character", "Characters", CHARACTER),
        Field("chapters", Kind.ENTITIES, "chapter", "Chapters", CHAPTER),
        Field("word_target", Kind.SCALAR, "manuscript word target", "Manuscript word target"),
    ),
)
STORY = Shape(
    Story,
    "story",
    (
        Field("story_id", Kind.SCALAR, "story id", "Story id"),
        Field("title", Kind.SCALAR, "title", "Title"),
        Field("blueprint", Kind.INLINE, "blueprint", "Blueprint", BLUEPRINT),
        Field("schema_version", Kind.SCALAR, "schema version", "Schema version"),
        Field("created_at_utc", Kind.SCALAR, "creation time", "Created", both_changed="earliest"),
        Field(
            "updated_at_utc", Kind.SCALAR, "last update time", "Last updated", both_changed="latest"
        ),
        Field("conflicts", Kind.CONFLICTS, "conflict", "Conflicts"),
    ),
)


def shape_of(document: BaseModel) -> Shape:
    if isinstance(document, Story):
        return STORY
    if isinstance(document, StoryBlueprint):
        return BLUEPRINT
    raise TypeError(f"expected a Story or a StoryBlueprint, got {type(document).__name__}")
