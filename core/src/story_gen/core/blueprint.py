"""The ``story_blueprint.v1`` contract: the pydantic models every part of story_gen shares.

Revision 2 (Story ``schema_version`` 2) added optional fields: a display ``name`` for themes
and characters, a chapter ``status`` and ``word_target``, and the manuscript's
``word_target``. They are left out of the canonical JSON while unset (see :data:`Optional`),
so a revision-1 blueprint keeps its exact canonical bytes and older scripts see the shape they
know.

Field names and shapes are the existing story_gen blueprint JSON format, so files
written by earlier story_gen tools load unchanged. Validation normalises on the way
in (keys lowercased and stripped, key lists deduplicated in order, canon rules
deduplicated) so that two equal stories are equal
objects and serialise to the same canonical bytes.

Unknown fields are refused rather than dropped: a silently dropped field is a
lost edit the next time the file is formatted.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from story_gen.core.keys import KEY_INPUT_PATTERN, KEY_PATTERN, dedupe
from story_gen.core.text_rules import normalize_draft

__all__ = [
    "CHAPTER_STATUSES",
    "Chapter",
    "ChapterStatus",
    "Character",
    "Key",
    "KeyList",
    "Name",
    "StoryBlueprint",
    "Text",
    "Theme",
    "WordTarget",
]


# Normalisation runs inside pydantic-core (Rust), not in Python validators: a
# 1,000-chapter blueprint holds ~10,000 keys and texts, and a Python call per value
# made validation four times slower (it must stay fast in Pyodide). The order is
# strip -> pattern -> lowercase, so the pattern accepts either case and the stored
# key always matches KEY_PATTERN (which is what the published JSON Schema says).
Text = Annotated[str, StringConstraints(strip_whitespace=True)]
Key = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=KEY_INPUT_PATTERN, to_lower=True),
    Field(json_schema_extra={"pattern": KEY_PATTERN}),
]
KeyList = Annotated[list[Key], AfterValidator(dedupe)]


def _unset(value: Any) -> bool:
    return value is None


def _blank_is_unset(value: str | None) -> str | None:
    return value or None


def _optional(description: str) -> Any:
    # An optional field added by a contract revision: absent from the canonical JSON while
    # unset, so documents that do not use it keep their bytes (and their shape for scripts).
    return Field(default=None, exclude_if=_unset, description=description)


Name = Annotated[Text | None, AfterValidator(_blank_is_unset)]
"""A display name; blank means "no name" (the key is shown instead)."""

ChapterStatus = Literal["idea", "outlined", "drafted", "revised", "done"]
CHAPTER_STATUSES: tuple[ChapterStatus, ...] = ("idea", "outlined", "drafted", "revised", "done")
"""The chapter statuses in the order a chapter goes through them."""

WordTarget = Annotated[int | None, Field(ge=1, le=10_000_000)]


def _dedupe_rules(rules: list[str]) -> list[str]:
    return dedupe(rule for rule in rules if rule)


def _normalize_draft(value: object) -> object:
    # Draft text keeps its inner whitespace (it is prose), only trailing
    # blank space is dropped; an all-blank draft means "no draft yet".
    # (the one text rule: story_gen.core.text_rules)
    return normalize_draft(value) if isinstance(value, str) else value


class _Model(BaseModel):
    # The core always writes every field, so the published (serialization) schema marks
    # them all required: TypeScript generated from it needs no `?` on any field.
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=False,
        json_schema_serialization_defaults_required=True,
    )


class Theme(_Model):
    """A theme the story explores; ``priority`` 10 is the most important."""

    key: Key
    name: Name = _optional("What the writer calls the theme; the key is shown when unset.")
    statement: Text = ""
    priority: int = Field(default=5, ge=1, le=10)


class Character(_Model):
    key: Key
    name: Name = _optional('The character\'s name as the story spells it ("Inspector Vale").')
    role: Text = ""
    motivation: Text = ""
    voice_markers: Annotated[list[Text], AfterValidator(_dedupe_rules)] = Field(
        default_factory=list
    )
    relationships: dict[Key, Text] = Field(
        default_factory=dict,
        description="Other character's key -> how this character relates to them.",
    )


class Chapter(_Model):
    key: Key
    title: Text = ""
    objective: Text = ""
    required_themes: KeyList = Field(default_factory=list)
    participating_characters: KeyList = Field(default_factory=list)
    prerequisites: KeyList = Field(
        default_factory=list, description="Keys of chapters that must be written first."
    )
    draft_text: Annotated[str | None, BeforeValidator(_normalize_draft)] = None
    status: ChapterStatus | None = _optional(
        "Where the chapter stands: idea, outlined, drafted, revised or done."
    )
    word_target: WordTarget = _optional("How many words the chapter should have.")


class StoryBlueprint(_Model):
    """A story plan: premise, canon, themes, characters and chapters (``story_blueprint.v1``)."""

    premise: Text = ""
    canon_rules: Annotated[list[Text], AfterValidator(_dedupe_rules)] = Field(default_factory=list)
    themes: list[Theme] = Field(default_factory=list)
    characters: list[Character] = Field(default_factory=list)
    chapters: list[Chapter] = Field(default_factory=list)
    word_target: WordTarget = _optional("How many words the whole manuscript should have.")

    @model_validator(mode="after")
    def _keys_are_unique(self) -> StoryBlueprint:
        # Unknown references and cycles are allowed (an editor holds unfinished
        # plans; diagnose() reports them), but a duplicate key would make every
        # key-addressed operation (merge, patch, rename) ambiguous.
        for field in ("themes", "characters", "chapters"):
            seen: set[str] = set()
            for entity in getattr(self, field):
                if entity.key in seen:
                    raise ValueError(f"{field}: key {entity.key!r} is used more than once")
                seen.add(entity.key)
        return self
