"""Which entities a patch touches, and applying a patch with that answer attached.

Incremental consumers (the diagnosis session, a view that redraws one chapter) need
"what changed" from the edit itself, not from comparing two documents: every operation
names its entity by key, so reading the ops is enough and costs nothing per untouched
chapter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from story_gen.core.blueprint import StoryBlueprint
from story_gen.core.document import BLUEPRINT, Kind, parse_path
from story_gen.core.patch._apply import apply_patch
from story_gen.core.patch._model import DeleteOp, InsertOp, MoveOp, Patch
from story_gen.core.story import Story

__all__ = ["Applied", "Touched", "apply_tracked", "touched_by"]

DocT = TypeVar("DocT", Story, StoryBlueprint)

_ENTITY_LISTS = frozenset(f.name for f in BLUEPRINT.fields if f.kind is Kind.ENTITIES)


class Touched(BaseModel):
    """What a patch changes: the document's own fields, and entities by list and key."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    top: bool = False
    """Whether a field outside the entity lists changed (premise, canon rules, a Story's own)."""
    entities: dict[str, frozenset[str]] = {}
    """Per entity list (``themes``, ``characters``, ``chapters``): the keys of the entities
    changed, added, removed or moved (a rename touches the old and the new key)."""
    reordered: frozenset[str] = frozenset()
    """The entity lists whose membership or order changed."""


@dataclass(frozen=True, slots=True)
class Applied(Generic[DocT]):
    """A patch's result and what it touched."""

    document: DocT
    touched: Touched


def touched_by(patch: Patch) -> Touched:
    """What ``patch`` touches, read from its operations alone."""
    top = False
    entities: dict[str, set[str]] = {}
    reordered: set[str] = set()
    for op in patch.ops:
        first = parse_path(op.path)[0]
        if first.name not in _ENTITY_LISTS:
            top = True
        elif first.key is not None:
            entities.setdefault(first.name, set()).add(first.key)
        elif isinstance(op, InsertOp | DeleteOp | MoveOp):
            entities.setdefault(first.name, set()).add(op.key)
            reordered.add(first.name)
        else:  # pragma: no cover - a set on a whole entity list is no valid operation
            top = True
    return Touched(
        top=top,
        entities={name: frozenset(keys) for name, keys in entities.items()},
        reordered=frozenset(reordered),
    )


def apply_tracked(document: DocT, patch: Patch) -> Applied[DocT]:
    """``apply_patch(document, patch)`` and what it touched (raises as ``apply_patch`` does)."""
    return Applied(apply_patch(document, patch), touched_by(patch))
