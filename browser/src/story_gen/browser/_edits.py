"""Edit operations: the small typed language the editor speaks, and applying one to a blueprint.

Every op addresses themes, characters and chapters by KEY, never by position, so an edit made
on one revision still means the same thing on another (after another tab's change, after an
undo). Canon rules and voice markers have no keys; they are addressed by index.

:func:`apply_edit` is pure: it returns a new blueprint, or raises
:class:`~story_gen.browser._errors.EditRejectedError` saying what is wrong and changes nothing.
It rebuilds only the entity it touches (validated through its model) and shares the rest with
the old blueprint, because the editor sends an op as the writer types on stories of 1,000
chapters; the invariants the blueprint's own validator keeps (unique keys) are checked here for
the two ops that can break them (add, rename).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, JsonValue, TypeAdapter, ValidationError

from story_gen.browser._envelope import describe_validation
from story_gen.browser._errors import EditRejectedError
from story_gen.core import Chapter, Character, StoryBlueprint, Theme, format_path
from story_gen.core.blueprint import Key, Text
from story_gen.core.keys import key_problem, normalize_key
from story_gen.core.suggest import closest

__all__ = [
    "EditOp",
    "EntityKind",
    "Reference",
    "apply_edit",
    "references",
    "typing_target",
]

EntityKind = Literal["theme", "character", "chapter"]


# The contract's own normalisers (pydantic-core's whitespace rules, not str.strip()'s), so an
# edited field holds exactly what loading the same text from a file would give. Built on first
# use, not at import: the studio's start does not wait for them.
@functools.cache
def _text() -> TypeAdapter[str]:
    return TypeAdapter(Text)


@functools.cache
def _key() -> TypeAdapter[str]:
    return TypeAdapter(Key)


Entity = Theme | Character | Chapter
E = TypeVar("E", Theme, Character, Chapter)

_COLLECTION: dict[str, str] = {"theme": "themes", "character": "characters", "chapter": "chapters"}
_MODEL: dict[str, type[Theme] | type[Character] | type[Chapter]] = {
    "theme": Theme,
    "character": Character,
    "chapter": Chapter,
}
SCALAR_FIELDS: dict[str, tuple[str, ...]] = {
    "theme": ("statement", "priority"),
    "character": ("role", "motivation"),
    "chapter": ("title", "objective", "draft_text"),
}
LIST_FIELDS: dict[str, tuple[str, ...]] = {
    "character": ("voice_markers",),
    "chapter": ("required_themes", "participating_characters", "prerequisites"),
}


class _Op(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class SetPremise(_Op):
    op: Literal["set_premise"]
    value: str


class SetField(_Op):
    """Set one scalar field of a theme (statement, priority), character (role, motivation) or
    chapter (title, objective, draft_text)."""

    op: Literal["set_field"]
    kind: EntityKind
    key: str
    field: str
    value: str | int | None


class AddCanonRule(_Op):
    op: Literal["add_canon_rule"]
    value: str
    index: int | None = Field(default=None, description="Insert position; null appends.")


class SetCanonRule(_Op):
    op: Literal["set_canon_rule"]
    index: int
    value: str


class RemoveCanonRule(_Op):
    op: Literal["remove_canon_rule"]
    index: int


class MoveCanonRule(_Op):
    op: Literal["move_canon_rule"]
    from_index: int
    to_index: int


class AddVoiceMarker(_Op):
    op: Literal["add_voice_marker"]
    character: str
    value: str
    index: int | None = None


class SetVoiceMarker(_Op):
    op: Literal["set_voice_marker"]
    character: str
    index: int
    value: str


class RemoveVoiceMarker(_Op):
    op: Literal["remove_voice_marker"]
    character: str
    index: int


class MoveVoiceMarker(_Op):
    op: Literal["move_voice_marker"]
    character: str
    from_index: int
    to_index: int


class AddEntity(_Op):
    """Add a theme, character or chapter; ``entity`` is its JSON (at least ``key``)."""

    op: Literal["add_entity"]
    kind: EntityKind
    entity: dict[str, JsonValue]
    index: int | None = Field(default=None, description="Insert position; null appends.")


class RemoveEntity(_Op):
    """Remove an entity. References to it stay (and diagnose reports them) unless
    ``remove_references`` is true."""

    op: Literal["remove_entity"]
    kind: EntityKind
    key: str
    remove_references: bool = False


class MoveEntity(_Op):
    op: Literal["move_entity"]
    kind: EntityKind
    key: str
    to_index: int


class SetList(_Op):
    """Replace a list field: a chapter's required_themes / participating_characters /
    prerequisites (keys), or a character's voice_markers."""

    op: Literal["set_list"]
    kind: Literal["character", "chapter"]
    key: str
    field: str
    value: list[str]


class SetRelationship(_Op):
    op: Literal["set_relationship"]
    character: str
    other: str
    description: str


class RemoveRelationship(_Op):
    op: Literal["remove_relationship"]
    character: str
    other: str


class RenameKey(_Op):
    """Rename a theme, character or chapter key and every reference to it."""

    op: Literal["rename_key"]
    kind: EntityKind
    old_key: str
    new_key: str


EditOp = Annotated[
    SetPremise
    | SetField
    | AddCanonRule
    | SetCanonRule
    | RemoveCanonRule
    | MoveCanonRule
    | AddVoiceMarker
    | SetVoiceMarker
    | RemoveVoiceMarker
    | MoveVoiceMarker
    | AddEntity
    | RemoveEntity
    | MoveEntity
    | SetList
    | SetRelationship
    | RemoveRelationship
    | RenameKey,
    Field(discriminator="op"),
]


class Reference(BaseModel):
    """One place that refers to a key: where it is and which entity holds it."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    path: str = Field(description="JSON path, as diagnostics give it: chapters[3].prerequisites[0]")
    owner_kind: Literal["character", "chapter"]
    owner_key: str
    field: Literal["required_themes", "participating_characters", "prerequisites", "relationships"]


# ---------------------------------------------------------------- lookups


def _entities(bp: StoryBlueprint, kind: str) -> list[Any]:
    return list(getattr(bp, _COLLECTION[kind]))


def _find(bp: StoryBlueprint, kind: str, raw_key: str) -> tuple[int, Any]:
    key = normalize_key(raw_key)
    entities = getattr(bp, _COLLECTION[kind])
    for index, entity in enumerate(entities):
        if entity.key == key:
            return index, entity
    known = [entity.key for entity in entities]
    guess = closest(key, known)
    hint = f" Did you mean {guess!r}?" if guess else ""
    raise EditRejectedError(f"There is no {kind} with the key {key!r}.{hint}")


def _check_index(index: int, length: int, what: str, *, inserting: bool = False) -> None:
    upper = length if inserting else length - 1
    if not 0 <= index <= upper:
        if length == 0 and not inserting:
            raise EditRejectedError(f"There is no {what} at position {index}: the list is empty.")
        raise EditRejectedError(
            f"There is no {what} at position {index}: positions go from 0 to {upper}."
        )


def _validated(model: type[E], data: dict[str, Any], where: str) -> E:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise EditRejectedError(f"{where}: {describe_validation(error)}") from None


def _replace_at(items: Sequence[Any], index: int, item: Any) -> list[Any]:
    out = list(items)
    out[index] = item
    return out


def _moved(items: Sequence[Any], from_index: int, to_index: int) -> list[Any]:
    out = list(items)
    out.insert(to_index, out.pop(from_index))
    return out


def _with(bp: StoryBlueprint, kind: str, entities: list[Any]) -> StoryBlueprint:
    return bp.model_copy(update={_COLLECTION[kind]: entities})


def _update_entity(
    bp: StoryBlueprint, kind: str, raw_key: str, change: Callable[[dict[str, Any]], None]
) -> StoryBlueprint:
    index, entity = _find(bp, kind, raw_key)
    data = entity.model_dump()
    change(data)
    rebuilt = _validated(_MODEL[kind], data, f"{kind} {entity.key!r}")  # type: ignore[type-var]
    if rebuilt.key != entity.key:  # pragma: no cover - no op below changes a key this way
        raise EditRejectedError("use rename_key to change a key")
    return _with(bp, kind, _replace_at(getattr(bp, _COLLECTION[kind]), index, rebuilt))


def _valid_key(raw: str, what: str) -> str:
    """``raw`` as the contract stores it (stripped, lowercased), or a clear refusal."""
    try:
        return _key().validate_python(raw)
    except ValidationError:
        problem = key_problem(normalize_key(raw)) or "it may hold only letters a-z, digits, - and _"
        raise EditRejectedError(f"{what} {raw!r} is invalid: {problem}.") from None


def _clean_text(value: str, what: str) -> str:
    text = _text().validate_python(value)
    if not text:
        raise EditRejectedError(f"A {what} cannot be empty; remove it instead.")
    return text


def _unique_text(items: Sequence[str], text: str, what: str, *, except_index: int | None) -> None:
    for index, existing in enumerate(items):
        if existing == text and index != except_index:
            raise EditRejectedError(f"This {what} is already there, at position {index}.")


# ---------------------------------------------------------------- ops


def _set_premise(bp: StoryBlueprint, op: SetPremise) -> StoryBlueprint:
    return bp.model_copy(update={"premise": _text().validate_python(op.value)})


def _set_field(bp: StoryBlueprint, op: SetField) -> StoryBlueprint:
    allowed = SCALAR_FIELDS[op.kind]
    if op.field not in allowed:
        raise EditRejectedError(
            f"A {op.kind} has no field {op.field!r} that set_field can change; "
            f"choose one of {', '.join(allowed)}."
        )

    def change(data: dict[str, Any]) -> None:
        data[op.field] = op.value

    return _update_entity(bp, op.kind, op.key, change)


def _add_canon_rule(bp: StoryBlueprint, op: AddCanonRule) -> StoryBlueprint:
    text = _clean_text(op.value, "canon rule")
    rules = list(bp.canon_rules)
    _unique_text(rules, text, "canon rule", except_index=None)
    index = len(rules) if op.index is None else op.index
    _check_index(index, len(rules), "canon rule", inserting=True)
    rules.insert(index, text)
    return bp.model_copy(update={"canon_rules": rules})


def _set_canon_rule(bp: StoryBlueprint, op: SetCanonRule) -> StoryBlueprint:
    _check_index(op.index, len(bp.canon_rules), "canon rule")
    text = _clean_text(op.value, "canon rule")
    _unique_text(bp.canon_rules, text, "canon rule", except_index=op.index)
    return bp.model_copy(update={"canon_rules": _replace_at(bp.canon_rules, op.index, text)})


def _remove_canon_rule(bp: StoryBlueprint, op: RemoveCanonRule) -> StoryBlueprint:
    _check_index(op.index, len(bp.canon_rules), "canon rule")
    rules = list(bp.canon_rules)
    del rules[op.index]
    return bp.model_copy(update={"canon_rules": rules})


def _move_canon_rule(bp: StoryBlueprint, op: MoveCanonRule) -> StoryBlueprint:
    _check_index(op.from_index, len(bp.canon_rules), "canon rule")
    _check_index(op.to_index, len(bp.canon_rules), "canon rule")
    return bp.model_copy(update={"canon_rules": _moved(bp.canon_rules, op.from_index, op.to_index)})


def _voice_markers(
    bp: StoryBlueprint, raw_key: str, change: Callable[[list[str]], list[str]]
) -> StoryBlueprint:
    def apply(data: dict[str, Any]) -> None:
        data["voice_markers"] = change(list(data["voice_markers"]))

    return _update_entity(bp, "character", raw_key, apply)


def _add_voice_marker(bp: StoryBlueprint, op: AddVoiceMarker) -> StoryBlueprint:
    text = _clean_text(op.value, "voice marker")

    def change(markers: list[str]) -> list[str]:
        _unique_text(markers, text, "voice marker", except_index=None)
        index = len(markers) if op.index is None else op.index
        _check_index(index, len(markers), "voice marker", inserting=True)
        markers.insert(index, text)
        return markers

    return _voice_markers(bp, op.character, change)


def _set_voice_marker(bp: StoryBlueprint, op: SetVoiceMarker) -> StoryBlueprint:
    text = _clean_text(op.value, "voice marker")

    def change(markers: list[str]) -> list[str]:
        _check_index(op.index, len(markers), "voice marker")
        _unique_text(markers, text, "voice marker", except_index=op.index)
        markers[op.index] = text
        return markers

    return _voice_markers(bp, op.character, change)


def _remove_voice_marker(bp: StoryBlueprint, op: RemoveVoiceMarker) -> StoryBlueprint:
    def change(markers: list[str]) -> list[str]:
        _check_index(op.index, len(markers), "voice marker")
        del markers[op.index]
        return markers

    return _voice_markers(bp, op.character, change)


def _move_voice_marker(bp: StoryBlueprint, op: MoveVoiceMarker) -> StoryBlueprint:
    def change(markers: list[str]) -> list[str]:
        _check_index(op.from_index, len(markers), "voice marker")
        _check_index(op.to_index, len(markers), "voice marker")
        return _moved(markers, op.from_index, op.to_index)

    return _voice_markers(bp, op.character, change)


def _add_entity(bp: StoryBlueprint, op: AddEntity) -> StoryBlueprint:
    entity = _validated(_MODEL[op.kind], dict(op.entity), f"new {op.kind}")  # type: ignore[type-var]
    entities = _entities(bp, op.kind)
    if any(existing.key == entity.key for existing in entities):
        raise EditRejectedError(
            f"A {op.kind} with the key {entity.key!r} already exists; keys must be unique."
        )
    index = len(entities) if op.index is None else op.index
    _check_index(index, len(entities), op.kind, inserting=True)
    entities.insert(index, entity)
    return _with(bp, op.kind, entities)


def _remove_entity(bp: StoryBlueprint, op: RemoveEntity) -> StoryBlueprint:
    index, entity = _find(bp, op.kind, op.key)
    entities = _entities(bp, op.kind)
    del entities[index]
    out = _with(bp, op.kind, entities)
    if op.remove_references:
        out = _rewrite_references(out, op.kind, entity.key, None)
    return out


def _move_entity(bp: StoryBlueprint, op: MoveEntity) -> StoryBlueprint:
    index, _ = _find(bp, op.kind, op.key)
    entities = _entities(bp, op.kind)
    _check_index(op.to_index, len(entities), op.kind)
    return _with(bp, op.kind, _moved(entities, index, op.to_index))


def _set_list(bp: StoryBlueprint, op: SetList) -> StoryBlueprint:
    allowed = LIST_FIELDS[op.kind]
    if op.field not in allowed:
        raise EditRejectedError(
            f"A {op.kind} has no list field {op.field!r}; choose one of {', '.join(allowed)}."
        )
    if op.field == "voice_markers":
        for text in op.value:
            _clean_text(text, "voice marker")

    def change(data: dict[str, Any]) -> None:
        data[op.field] = list(op.value)

    return _update_entity(bp, op.kind, op.key, change)


def _set_relationship(bp: StoryBlueprint, op: SetRelationship) -> StoryBlueprint:
    other = _valid_key(op.other, "The related character's key")
    _find(bp, "character", other)  # a relationship is picked from existing characters

    def change(data: dict[str, Any]) -> None:
        data["relationships"] = {**data["relationships"], other: op.description}

    return _update_entity(bp, "character", op.character, change)


def _remove_relationship(bp: StoryBlueprint, op: RemoveRelationship) -> StoryBlueprint:
    other = normalize_key(op.other)

    def change(data: dict[str, Any]) -> None:
        if other not in data["relationships"]:
            raise EditRejectedError(
                f"Character {data['key']!r} has no relationship with {other!r}."
            )
        data["relationships"] = {k: v for k, v in data["relationships"].items() if k != other}

    return _update_entity(bp, "character", op.character, change)


def _rename_key(bp: StoryBlueprint, op: RenameKey) -> StoryBlueprint:
    index, entity = _find(bp, op.kind, op.old_key)
    new_key = _valid_key(op.new_key, "The new key")
    if new_key == entity.key:
        return bp
    if any(other.key == new_key for other in getattr(bp, _COLLECTION[op.kind])):
        raise EditRejectedError(
            f"A {op.kind} with the key {new_key!r} already exists; pick another key."
        )
    renamed = entity.model_copy(update={"key": new_key})
    out = _with(bp, op.kind, _replace_at(getattr(bp, _COLLECTION[op.kind]), index, renamed))
    return _rewrite_references(out, op.kind, entity.key, new_key)


_APPLY: dict[str, Callable[[StoryBlueprint, Any], StoryBlueprint]] = {
    "set_premise": _set_premise,
    "set_field": _set_field,
    "add_canon_rule": _add_canon_rule,
    "set_canon_rule": _set_canon_rule,
    "remove_canon_rule": _remove_canon_rule,
    "move_canon_rule": _move_canon_rule,
    "add_voice_marker": _add_voice_marker,
    "set_voice_marker": _set_voice_marker,
    "remove_voice_marker": _remove_voice_marker,
    "move_voice_marker": _move_voice_marker,
    "add_entity": _add_entity,
    "remove_entity": _remove_entity,
    "move_entity": _move_entity,
    "set_list": _set_list,
    "set_relationship": _set_relationship,
    "remove_relationship": _remove_relationship,
    "rename_key": _rename_key,
}


def apply_edit(bp: StoryBlueprint, op: EditOp) -> StoryBlueprint:
    """The blueprint after ``op``; raises EditRejectedError (and changes nothing) if it can't."""
    return _APPLY[op.op](bp, op)


def typing_target(op: EditOp) -> str | None:
    """The one text a typing op writes (``premise``, ``chapter:intro:title``...), or None.

    Keystrokes sent as the writer types are grouped into one undo step per target, so undo
    reverts a burst of typing at once, not a letter.
    """
    match op:
        case SetPremise():
            return "premise"
        case SetField(value=str() | None):
            return f"{op.kind}:{normalize_key(op.key)}:{op.field}"
        case SetCanonRule():
            return f"canon_rules:{op.index}"
        case SetVoiceMarker():
            return f"voice_markers:{normalize_key(op.character)}:{op.index}"
        case SetRelationship():
            return f"relationships:{normalize_key(op.character)}:{normalize_key(op.other)}"
        case _:
            return None


# ---------------------------------------------------------------- references


def _reference_fields(kind: str) -> tuple[str, ...]:
    return {
        "theme": ("required_themes",),
        "character": ("participating_characters",),
        "chapter": ("prerequisites",),
    }[kind]


def references(bp: StoryBlueprint, kind: EntityKind, raw_key: str) -> list[Reference]:
    """Every place in ``bp`` that refers to the ``kind`` with ``raw_key`` (existing or not)."""
    key = normalize_key(raw_key)
    found: list[Reference] = []
    fields = _reference_fields(kind)
    for ci, chapter in enumerate(bp.chapters):
        for field in fields:
            for position, value in enumerate(getattr(chapter, field)):
                if value == key:
                    found.append(
                        Reference(
                            path=format_path(["chapters", ci, field, position]),
                            owner_kind="chapter",
                            owner_key=chapter.key,
                            field=field,  # type: ignore[arg-type]
                        )
                    )
    if kind == "character":
        for hi, character in enumerate(bp.characters):
            if key in character.relationships:
                found.append(
                    Reference(
                        path=format_path(["characters", hi, "relationships", key]),
                        owner_kind="character",
                        owner_key=character.key,
                        field="relationships",
                    )
                )
    return found


def _rewrite_references(bp: StoryBlueprint, kind: str, old: str, new: str | None) -> StoryBlueprint:
    """Point every reference to ``old`` at ``new`` (``None`` removes the references)."""
    fields = _reference_fields(kind)

    def swap(keys: list[str]) -> list[str]:
        out: list[str] = []
        for value in keys:
            replacement = new if value == old else value
            if replacement is not None and replacement not in out:
                out.append(replacement)
        return out

    chapters = list(bp.chapters)
    for ci, chapter in enumerate(chapters):
        update = {f: swap(getattr(chapter, f)) for f in fields if old in getattr(chapter, f)}
        if update:
            chapters[ci] = chapter.model_copy(update=update)
    out = bp.model_copy(update={"chapters": chapters})
    if kind == "character":
        characters = list(out.characters)
        for hi, character in enumerate(characters):
            if old in character.relationships:
                relationships: dict[str, str] = {}
                for other, text in character.relationships.items():
                    if other != old:
                        relationships.setdefault(other, text)
                    elif new is not None:
                        relationships[new] = text
                characters[hi] = character.model_copy(update={"relationships": relationships})
        out = out.model_copy(update={"characters": characters})
    return out
