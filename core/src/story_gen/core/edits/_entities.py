"""Edits of whole entities and their scalar fields: set a field, add, remove, move, rename.

Each function is pure: it takes a blueprint and returns an :class:`Edit`: the :class:`Patch`
that makes the change, the edited blueprint and the touched entities, or raises
:class:`EditRejectedError` and changes nothing. Only the touched entities are rebuilt, so
the diff behind the patch compares the rest by identity: cheap on 1,000 chapters.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from pydantic import JsonValue, TypeAdapter, ValidationError

from story_gen.core.blueprint import StoryBlueprint, WordTarget
from story_gen.core.document import Kind, child, to_json
from story_gen.core.edits._errors import EditRejectedError, first_problem
from story_gen.core.edits._kinds import (
    COLLECTION,
    Entity,
    EntityKind,
    clean_text,
    entities,
    find,
    position,
    shape,
    valid_key,
)
from story_gen.core.edits._references import Reference, references, rewrite_references
from story_gen.core.edits._result import Edit, edit_result
from story_gen.core.patch import Patch, SetOp, diff, touched_by

__all__ = [
    "Edit",
    "Removal",
    "Renaming",
    "add_entity",
    "move_entity",
    "remove_entity",
    "rename_key",
    "replace_entity",
    "set_field",
    "set_premise",
    "set_word_target",
]


@dataclass(frozen=True, slots=True)
class Removal(Edit):
    """A removal, and the references it leaves (or removes)."""

    references: list[Reference]
    references_removed: bool
    """True: the patch removes ``references`` too; False: they stay, naming a missing key."""


@dataclass(frozen=True, slots=True)
class Renaming(Edit):
    """A rename: the normalised keys, and the references it rewrote."""

    kind: EntityKind
    old_key: str
    new_key: str
    references: list[Reference]


def _with(bp: StoryBlueprint, kind: EntityKind, items: list[Entity]) -> StoryBlueprint:
    return bp.model_copy(update={COLLECTION[kind]: items})


def _validated(kind: EntityKind, data: dict[str, Any], where: str) -> Entity:
    try:
        entity: Entity = shape(kind).model.model_validate(data)  # type: ignore[assignment]
    except ValidationError as error:
        raise EditRejectedError(f"{where}: {first_problem(error)}") from None
    return entity


def _check_index(index: int, length: int, what: str, *, inserting: bool) -> None:
    upper = length if inserting else length - 1
    if not 0 <= index <= upper:
        if upper < 0:
            raise EditRejectedError(f"There is no {what} at position {index}: there are none.")
        raise EditRejectedError(
            f"There is no {what} at position {index}: positions go from 0 to {upper}."
        )


@functools.cache
def _empty() -> StoryBlueprint:
    # Made once: building a blueprint runs its default factories through pydantic's
    # signature inspection, half a millisecond a keystroke would pay.
    return StoryBlueprint()


def _whole(bp: StoryBlueprint, after: StoryBlueprint) -> Edit:
    return edit_result(after, diff(bp, after))


def set_premise(bp: StoryBlueprint, text: str) -> Edit:
    return _whole(bp, bp.model_copy(update={"premise": clean_text(text)}))


@functools.cache
def _word_target() -> TypeAdapter[int | None]:
    return TypeAdapter(WordTarget)


def set_word_target(bp: StoryBlueprint, value: int | None) -> Edit:
    """Set (or with None, clear) the manuscript's word target."""
    try:
        target = _word_target().validate_python(value)
    except ValidationError:
        raise EditRejectedError(
            f"The manuscript's word target must be a whole number from 1 to 10,000,000, "
            f"or none; {value!r} is not."
        ) from None
    return _whole(bp, bp.model_copy(update={"word_target": target}))


def replace_entity(bp: StoryBlueprint, kind: EntityKind, key: str, update: dict[str, Any]) -> Edit:
    """Change several fields of one entity at once (not its key: see :func:`rename_key`)."""
    index, entity = find(bp, kind, key)
    if "key" in update and update["key"] != entity.key:
        raise EditRejectedError(
            f'The key of {kind} "{entity.key}" changes by renaming it (every reference follows).'
        )
    data = {**entity.model_dump(), **update}
    rebuilt = _validated(kind, data, f'{kind} "{entity.key}"')
    items = list(entities(bp, kind))
    items[index] = rebuilt
    return edit_result(_with(bp, kind, items), _entity_patch(kind, entity, rebuilt, update))


def _entity_patch(kind: EntityKind, old: Entity, new: Entity, update: dict[str, Any]) -> Patch:
    fields = shape(kind).by_name
    if len(update) == 1:
        (name,) = update
        if name in fields and fields[name].kind is Kind.SCALAR:
            # One scalar (a title, an objective being typed): the operation itself.
            before, after = to_json(getattr(old, name)), to_json(getattr(new, name))
            if before == after:
                return Patch()
            path = child(child("", COLLECTION[kind], old.key), name)
            return Patch(ops=[SetOp(op="set", path=path, old=before, new=after)])
    # Otherwise the diff of two one-entity blueprints: the same key paths, without walking
    # the other entities of the story.
    alone = _empty()
    return diff(_with(alone, kind, [old]), _with(alone, kind, [new]))


def set_field(bp: StoryBlueprint, kind: EntityKind, key: str, field: str, value: JsonValue) -> Edit:
    """Set one scalar or text field (a chapter's objective or draft, a theme's priority...)."""
    fields = shape(kind).by_name
    if field not in fields or fields[field].kind not in (Kind.SCALAR, Kind.TEXT):
        allowed = [name for name, f in fields.items() if f.kind in (Kind.SCALAR, Kind.TEXT)]
        raise EditRejectedError(
            f'A {kind} has no field "{field}" to set; choose one of {", ".join(allowed)}.'
        )
    return replace_entity(bp, kind, key, {field: value})


def add_entity(
    bp: StoryBlueprint, kind: EntityKind, entity: dict[str, Any], index: int | None = None
) -> Edit:
    """Add a theme, character or chapter (``entity``: its JSON, at least ``key``) at ``index``
    (None: at the end)."""
    new = _validated(kind, dict(entity), f"new {kind}")
    if position(bp, kind, new.key) is not None:
        raise EditRejectedError(
            f'A {kind} with the key "{new.key}" already exists; keys must be unique.'
        )
    items = list(entities(bp, kind))
    at = len(items) if index is None else index
    _check_index(at, len(items), kind, inserting=True)
    items.insert(at, new)
    return _whole(bp, _with(bp, kind, items))


def remove_entity(
    bp: StoryBlueprint, kind: EntityKind, key: str, *, remove_references: bool = False
) -> Removal:
    """Remove an entity; its references stay (diagnose reports them) unless
    ``remove_references``. Either way the result lists them."""
    index, entity = find(bp, kind, key)
    items = list(entities(bp, kind))
    del items[index]
    after = _with(bp, kind, items)
    found = references(after, kind, entity.key)
    if remove_references:
        after = rewrite_references(after, kind, entity.key, None)
    patch = diff(bp, after)
    return Removal(
        document=after,
        touched=touched_by(patch),
        patch=patch,
        references=found,
        references_removed=remove_references,
    )


def move_entity(bp: StoryBlueprint, kind: EntityKind, key: str, to_index: int) -> Edit:
    index, _ = find(bp, kind, key)
    items = list(entities(bp, kind))
    _check_index(to_index, len(items), kind, inserting=False)
    items.insert(to_index, items.pop(index))
    return _whole(bp, _with(bp, kind, items))


def rename_key(bp: StoryBlueprint, kind: EntityKind, old: str, new: str) -> Renaming:
    """Rename a theme, character or chapter and rewrite every reference to it: afterwards
    no field names the old key of that kind. A list that already named the new key (an
    unknown entity until now) keeps it once."""
    index, entity = find(bp, kind, old)
    new_key = valid_key(new, "The new key")
    if new_key == entity.key:
        return Renaming(
            document=bp,
            touched=touched_by(Patch()),
            patch=Patch(),
            kind=kind,
            old_key=entity.key,
            new_key=new_key,
            references=[],
        )
    if position(bp, kind, new_key) is not None:
        raise EditRejectedError(
            f'A {kind} with the key "{new_key}" already exists; pick another key.'
        )
    found = references(bp, kind, entity.key)
    items = list(entities(bp, kind))
    items[index] = entity.model_copy(update={"key": new_key})
    after = rewrite_references(_with(bp, kind, items), kind, entity.key, new_key)
    patch = diff(bp, after)
    return Renaming(
        document=after,
        touched=touched_by(patch),
        patch=patch,
        kind=kind,
        old_key=entity.key,
        new_key=new_key,
        references=found,
    )
