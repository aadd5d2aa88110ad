"""Entity kinds as a writer names them (theme, character, chapter), and finding one by key.

The fields of each kind come from the document model's shape table
(:data:`story_gen.core.document.BLUEPRINT`), not from a list of their own.
"""

from __future__ import annotations

import functools
import operator
from typing import Literal, cast

from pydantic import TypeAdapter, ValidationError

from story_gen.core.blueprint import Chapter, Character, Key, StoryBlueprint, Text, Theme
from story_gen.core.document import BLUEPRINT, ENTITY_LISTS, SINGULAR, Kind, Shape
from story_gen.core.edits._errors import EditRejectedError
from story_gen.core.keys import key_problem, normalize_key
from story_gen.core.suggest import closest

__all__ = [
    "COLLECTION",
    "DRAFT_FIELDS",
    "FIELD_LABELS",
    "KEY_LABEL",
    "KIND_OF",
    "TEXT_FIELDS",
    "Entity",
    "EntityKind",
    "clean_text",
    "entities",
    "find",
    "position",
    "shape",
    "valid_key",
]

EntityKind = Literal["theme", "character", "chapter"]
Entity = Theme | Character | Chapter

COLLECTION = cast(dict[EntityKind, str], {SINGULAR[name]: name for name in ENTITY_LISTS})
KIND_OF: dict[str, EntityKind] = {field: kind for kind, field in COLLECTION.items()}


_KEY_OF = operator.attrgetter("key")


def _fields(kinds: tuple[Kind, ...]) -> dict[EntityKind, tuple[str, ...]]:
    out: dict[EntityKind, tuple[str, ...]] = {}
    for kind, collection in COLLECTION.items():
        entity = BLUEPRINT.by_name[collection].shape
        assert entity is not None
        annotations = entity.model.model_fields
        out[kind] = tuple(
            f.name
            for f in entity.fields
            if f.kind in kinds and (f.kind is Kind.TEXT or annotations[f.name].annotation is str)
        )
    return out


TEXT_FIELDS = _fields((Kind.SCALAR, Kind.TEXT))
"""Entity kind -> its plain-text fields, the ones a writer types into (drafts included)."""
DRAFT_FIELDS = _fields((Kind.TEXT,))
"""Entity kind -> its drafts: trimmed at the end only, blank means no draft
(:func:`story_gen.core.text_rules.normalize_draft`)."""


KEY_LABEL = "Key"
"""What the editor calls an entity's key (the one field every kind has, outside the shape)."""


def _labels() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {
        "story": {f.name: f.label for f in BLUEPRINT.fields if f.kind is not Kind.ENTITIES}
    }
    for kind, collection in COLLECTION.items():
        entity = BLUEPRINT.by_name[collection].shape
        assert entity is not None
        out[kind] = {"key": KEY_LABEL} | {f.name: f.label for f in entity.fields}
    return out


FIELD_LABELS = _labels()
"""Owner (``story`` for the blueprint's own fields, or an entity kind) -> field -> the label
the editor shows above it. Places, dialogs and hints name fields by these words."""


def shape(kind: EntityKind) -> Shape:
    found = BLUEPRINT.by_name[COLLECTION[kind]]
    assert found.kind is Kind.ENTITIES
    assert found.shape is not None
    return found.shape


def entities(bp: StoryBlueprint, kind: EntityKind) -> list[Entity]:
    items: list[Entity] = getattr(bp, COLLECTION[kind])
    return items


def position(bp: StoryBlueprint, kind: EntityKind, key: str) -> int | None:
    # The key list, then list.index: the search runs at C speed (a keystroke on a
    # 1,000-chapter story looks its chapter up on every edit).
    keys = list(map(_KEY_OF, entities(bp, kind)))
    try:
        return keys.index(key)
    except ValueError:
        return None


def find(bp: StoryBlueprint, kind: EntityKind, raw_key: str) -> tuple[int, Entity]:
    """The index and entity of the ``kind`` with ``raw_key``; a clear refusal when absent."""
    key = normalize_key(raw_key)
    index = position(bp, kind, key)
    if index is not None:
        return index, entities(bp, kind)[index]
    guess = closest(key, [entity.key for entity in entities(bp, kind)])
    hint = f' Did you mean "{guess}"?' if guess else ""
    raise EditRejectedError(f'There is no {kind} with the key "{key}".{hint}')


# The contract's own normalisers (pydantic-core's whitespace rules), so an edited value holds
# exactly what loading the same text from a file would give. Built on first use.
@functools.cache
def _text() -> TypeAdapter[str]:
    return TypeAdapter(Text)


@functools.cache
def _key() -> TypeAdapter[str]:
    return TypeAdapter(Key)


def clean_text(value: str) -> str:
    return _text().validate_python(value)


def valid_key(raw: str, what: str) -> str:
    """``raw`` as the contract stores it (stripped, lowercased), or a clear refusal."""
    try:
        return _key().validate_python(raw)
    except ValidationError:
        problem = key_problem(normalize_key(raw)) or "it may hold only letters a-z, digits, - and _"
        raise EditRejectedError(f'{what} "{raw}" is not a valid key: {problem}.') from None
