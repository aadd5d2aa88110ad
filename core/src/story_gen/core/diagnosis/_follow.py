"""Bringing a DiagnosisSession up to date with a patch from what the patch touched.

No comparison of two documents: the patch names the entities it touched by key, the
session's key index says where they are. Only a list whose members shifted (an insertion or
removal before its end, more than one entity added or removed, or more than about a quarter of
it changed, e.g. by a move) is re-checked whole.
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING

from pydantic import BaseModel

from story_gen.core.blueprint import StoryBlueprint

if TYPE_CHECKING:
    from story_gen.core.diagnosis._session import DiagnosisSession
    from story_gen.core.patch import Applied
    from story_gen.core.story import Story

__all__ = ["follow"]

_KEY_OF = attrgetter("key")

_WHOLE_LIST_SHARE = 4
"""Re-check a list whole when more than one in this many of its entities changed (plus a few,
so a short list is not re-checked whole for two edits): beyond that, one full pass is cheaper
than entity by entity."""
_WHOLE_LIST_SLACK = 4


def _dump(entity: BaseModel) -> object:
    return entity.model_dump(mode="json")


def follow(session: DiagnosisSession, applied: Applied[StoryBlueprint] | Applied[Story]) -> None:
    document = applied.document
    blueprint = document if isinstance(document, StoryBlueprint) else document.blueprint
    touched = applied.touched
    if touched.top:
        session.set_field(("premise",), blueprint.premise)
        session.set_field(("canon_rules",), list(blueprint.canon_rules))
    for kind, keys in touched.entities.items():
        after: list[BaseModel] = getattr(blueprint, kind)
        if kind not in touched.reordered and _in_place(session, kind, keys, after):
            continue
        _whole_list(session, kind, keys, after)


def _in_place(
    session: DiagnosisSession, kind: str, keys: frozenset[str], after: list[BaseModel]
) -> bool:
    """Re-check entities whose keys and places did not change, found through the key index
    (O(1) each); False, with nothing done, when that index cannot say where they are."""
    places: list[int] = []
    for key in keys:
        index = session.place(kind, key)
        if index is None or index >= len(after) or getattr(after[index], "key", None) != key:
            return False
        places.append(index)
    for index in sorted(places):
        session.update_entity(kind, index, _dump(after[index]))
    return True


def _whole_list(
    session: DiagnosisSession, kind: str, keys: frozenset[str], after: list[BaseModel]
) -> None:
    before = session.keys(kind)
    now: list[str | None] = list(map(_KEY_OF, after))
    common = min(len(before), len(now))
    if before == now:  # no key moved: find the touched ones at C speed
        changed = sorted(now.index(key) for key in keys if key in now)
    else:
        changed = [i for i in range(common) if before[i] != now[i] or now[i] in keys]
    shifted = len(before) != len(now) and before[:common] != now[:common]
    # An entity inserted or removed before the end shifts every later path, and a move
    # across a good part of the list changes many entities: one full pass is then the cheaper.
    many = len(changed) * _WHOLE_LIST_SHARE > len(now) + _WHOLE_LIST_SLACK
    if shifted or abs(len(before) - len(now)) > 1 or many:
        session.set_field((kind,), [_dump(entity) for entity in after])
        return
    if len(before) > len(now):
        session.delete((kind, len(before) - 1))
    for index in changed:
        session.update_entity(kind, index, _dump(after[index]))
    if len(now) > len(before):
        session.update_entity(kind, len(before), _dump(after[-1]))
