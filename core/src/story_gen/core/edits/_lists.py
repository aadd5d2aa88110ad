"""Edits of list fields and relationships: add, set, remove and move an item; set a whole list.

A list is the blueprint's ``canon_rules`` (``owner=None``) or a field of one entity:
a character's ``voice_markers``, a chapter's ``required_themes``,
``participating_characters`` or ``prerequisites``. Texts (canon rules, voice markers)
are normalised as the contract does and must be non-empty and distinct; keys are
normalised and must be valid (they may name an entity that does not exist yet:
diagnose reports it, the studio offers to create it).
"""

from __future__ import annotations

from collections.abc import Callable

from story_gen.core.blueprint import Character, StoryBlueprint
from story_gen.core.document import BLUEPRINT, REFERENCES, Kind
from story_gen.core.edits._entities import replace_entity
from story_gen.core.edits._errors import EditRejectedError
from story_gen.core.edits._kinds import EntityKind, clean_text, find, shape, valid_key
from story_gen.core.edits._result import Edit, edit_result
from story_gen.core.keys import normalize_key
from story_gen.core.patch import diff

__all__ = [
    "Owner",
    "add_item",
    "move_item",
    "remove_item",
    "remove_relationship",
    "set_item",
    "set_list",
    "set_relationship",
]

Owner = tuple[EntityKind, str] | None
"""Whose list: None for the blueprint's own (canon rules), else (kind, key)."""

_KEY_FIELDS = frozenset(field for pairs in REFERENCES.values() for field, _ in pairs)


def _field(owner: Owner, field: str) -> tuple[str, bool]:
    """The field's noun, and whether its items are keys; refuses a field that is no list."""
    fields = BLUEPRINT.by_name if owner is None else shape(owner[0]).by_name
    found = fields.get(field)
    if found is None or found.kind is not Kind.SET:
        lists = [name for name, f in fields.items() if f.kind is Kind.SET]
        whose = "The blueprint" if owner is None else f"A {owner[0]}"
        choose = f"choose one of {', '.join(lists)}" if lists else "it has none"
        raise EditRejectedError(f'{whose} has no list "{field}"; {choose}.')
    return found.noun, field in _KEY_FIELDS


def _current(bp: StoryBlueprint, owner: Owner, field: str) -> list[str]:
    if owner is None:
        return list(getattr(bp, field))
    return list(getattr(find(bp, owner[0], owner[1])[1], field))


def _write(bp: StoryBlueprint, owner: Owner, field: str, items: list[str]) -> Edit:
    if owner is None:
        after = bp.model_copy(update={field: items})
        return edit_result(after, diff(bp, after))
    return replace_entity(bp, owner[0], owner[1], {field: items})


def _item(value: str, noun: str, is_key: bool) -> str:
    if is_key:
        return valid_key(value, f"The {noun}")
    text = clean_text(value)
    if not text:
        raise EditRejectedError(f"A {noun} cannot be empty; remove it instead.")
    return text


def _check(index: int, items: list[str], noun: str, *, inserting: bool = False) -> None:
    upper = len(items) if inserting else len(items) - 1
    if not 0 <= index <= upper:
        if upper < 0:
            raise EditRejectedError(f"There is no {noun} at position {index}: the list is empty.")
        raise EditRejectedError(
            f"There is no {noun} at position {index}: positions go from 0 to {upper}."
        )


def _unique(items: list[str], value: str, noun: str, except_index: int | None) -> None:
    for index, existing in enumerate(items):
        if existing == value and index != except_index:
            raise EditRejectedError(f'"{value}" is already a {noun} (at position {index}).')


def _edit(
    bp: StoryBlueprint, owner: Owner, field: str, change: Callable[[list[str], str, bool], None]
) -> Edit:
    noun, is_key = _field(owner, field)
    items = _current(bp, owner, field)
    change(items, noun, is_key)
    return _write(bp, owner, field, items)


def add_item(
    bp: StoryBlueprint, field: str, value: str, *, owner: Owner = None, index: int | None = None
) -> Edit:
    """Insert ``value`` at ``index`` (None: at the end) of a list."""

    def change(items: list[str], noun: str, is_key: bool) -> None:
        item = _item(value, noun, is_key)
        _unique(items, item, noun, None)
        at = len(items) if index is None else index
        _check(at, items, noun, inserting=True)
        items.insert(at, item)

    return _edit(bp, owner, field, change)


def set_item(
    bp: StoryBlueprint, field: str, index: int, value: str, *, owner: Owner = None
) -> Edit:
    """Replace the item at ``index`` (a canon rule being retyped, a prerequisite re-picked)."""

    def change(items: list[str], noun: str, is_key: bool) -> None:
        _check(index, items, noun)
        item = _item(value, noun, is_key)
        _unique(items, item, noun, index)
        items[index] = item

    return _edit(bp, owner, field, change)


def remove_item(bp: StoryBlueprint, field: str, index: int, *, owner: Owner = None) -> Edit:
    def change(items: list[str], noun: str, is_key: bool) -> None:
        _check(index, items, noun)
        del items[index]

    return _edit(bp, owner, field, change)


def move_item(
    bp: StoryBlueprint, field: str, from_index: int, to_index: int, *, owner: Owner = None
) -> Edit:
    def change(items: list[str], noun: str, is_key: bool) -> None:
        _check(from_index, items, noun)
        _check(to_index, items, noun)
        items.insert(to_index, items.pop(from_index))

    return _edit(bp, owner, field, change)


def set_list(bp: StoryBlueprint, field: str, values: list[str], *, owner: Owner = None) -> Edit:
    """Replace a whole list; repeats are dropped (the first one stays), as loading does."""

    def change(items: list[str], noun: str, is_key: bool) -> None:
        out: list[str] = []
        for value in values:
            item = _item(value, noun, is_key)
            if item not in out:
                out.append(item)
        items[:] = out

    return _edit(bp, owner, field, change)


def _character(bp: StoryBlueprint, key: str) -> Character:
    _, holder = find(bp, "character", key)
    assert isinstance(holder, Character)
    return holder


def set_relationship(bp: StoryBlueprint, character: str, other: str, description: str) -> Edit:
    """How ``character`` relates to ``other`` (an existing character); adds or rewrites it."""
    holder = _character(bp, character)
    other_key = valid_key(other, "The related character's key")
    find(bp, "character", other_key)  # a relationship is picked among existing characters
    relationships = {**holder.relationships, other_key: clean_text(description)}
    return replace_entity(bp, "character", holder.key, {"relationships": relationships})


def remove_relationship(bp: StoryBlueprint, character: str, other: str) -> Edit:
    holder = _character(bp, character)
    other_key = normalize_key(other)
    relationships = holder.relationships
    if other_key not in relationships:
        raise EditRejectedError(f'Character "{holder.key}" has no relationship with "{other_key}".')
    kept = {key: text for key, text in relationships.items() if key != other_key}
    return replace_entity(bp, "character", holder.key, {"relationships": kept})
