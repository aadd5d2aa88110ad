"""What each revision of the blueprint contract added, and how to answer a client of an older one.

The story API's v1 routes serve scripts written against revision 1 of the contract, whose
models may forbid unknown fields. Such a client must never see a field it does not know, and
must never erase one by writing back what it read: :func:`as_revision` leaves the newer fields
out of what it is sent, :func:`keep_unseen` keeps their stored values when it writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from story_gen.core.blueprint import StoryBlueprint

__all__ = ["ADDED_IN", "as_revision", "keep_unseen"]

ADDED_IN: Mapping[int, Mapping[str, tuple[str, ...]]] = {
    2: {
        "blueprint": ("word_target",),
        "themes": ("name",),
        "characters": ("name",),
        "chapters": ("status", "word_target"),
    },
}
"""``ADDED_IN[r][part]``: the optional fields revision ``r`` added to the blueprint itself
(``"blueprint"``) or to each entity of a collection (``"themes"``, ...)."""

_COLLECTIONS = ("themes", "characters", "chapters")


def _newer_than(revision: int) -> dict[str, set[str]]:
    fields: dict[str, set[str]] = {}
    for added_in, parts in ADDED_IN.items():
        if added_in > revision:
            for part, names in parts.items():
                fields.setdefault(part, set()).update(names)
    return fields


def as_revision(blueprint: StoryBlueprint, revision: int) -> StoryBlueprint:
    """``blueprint`` as a client of contract ``revision`` may see it: newer fields unset
    (unset fields are absent from its JSON)."""
    newer = _newer_than(revision)
    if not newer:
        return blueprint
    update: dict[str, Any] = dict.fromkeys(newer.get("blueprint", ()))
    for part in _COLLECTIONS:
        names = newer.get(part)
        if names:
            update[part] = [
                entity.model_copy(update=dict.fromkeys(names))
                for entity in getattr(blueprint, part)
            ]
    return blueprint.model_copy(update=update)


def keep_unseen(incoming: StoryBlueprint, stored: StoryBlueprint, revision: int) -> StoryBlueprint:
    """``incoming``, written by a client of contract ``revision``, with the newer fields it
    cannot know taken from ``stored``: for the blueprint itself, and for each entity whose key
    is in both (an entity the client added or renamed has none to keep)."""
    newer = _newer_than(revision)
    if not newer:
        return incoming
    update: dict[str, Any] = {
        name: getattr(stored, name)
        for name in newer.get("blueprint", ())
        if getattr(incoming, name) is None
    }
    for part in _COLLECTIONS:
        names = newer.get(part)
        if not names:
            continue
        before = {entity.key: entity for entity in getattr(stored, part)}
        kept = []
        for entity in getattr(incoming, part):
            old = before.get(entity.key)
            carried = {
                name: getattr(old, name)
                for name in names
                if old is not None and getattr(entity, name) is None
            }
            kept.append(entity.model_copy(update=carried) if carried else entity)
        update[part] = kept
    return incoming.model_copy(update=update)
