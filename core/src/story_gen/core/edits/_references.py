"""Which fields name an entity by key, finding those references, and rewriting them.

A rename rewrites every reference; a removal leaves them (diagnose then reports them) or
removes them. Either way the writer is told where they are, so both use :func:`references`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from story_gen.core.blueprint import StoryBlueprint
from story_gen.core.document import REFERENCES, child
from story_gen.core.edits._kinds import COLLECTION, KIND_OF, EntityKind, shape

__all__ = ["REFERRING", "Reference", "references", "rewrite_references"]

REFERRING: dict[EntityKind, tuple[tuple[EntityKind, str], ...]] = {
    kind: tuple(
        (KIND_OF[owner], field)
        for owner, pairs in REFERENCES.items()
        for field, target in pairs
        if target == collection
    )
    for kind, collection in COLLECTION.items()
}
"""Per kind: the (owner kind, field) pairs whose values are keys of that kind."""


class Reference(BaseModel):
    """One entity field that names a key: ``chapters[intro].prerequisites`` names ``opening``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    owner_kind: EntityKind
    owner_key: str
    field: str
    path: str
    """The key path of the field (``chapters[intro].prerequisites``)."""

    def speak(self) -> str:
        """In story terms: "chapter `intro` (prerequisite)"."""
        noun = shape(self.owner_kind).by_name[self.field].noun
        return f"{self.owner_kind} `{self.owner_key}` ({noun})"


def references(bp: StoryBlueprint, kind: EntityKind, key: str) -> list[Reference]:
    """Every field in ``bp`` that names the ``kind`` ``key`` (whether it exists or not), in
    document order."""
    found: list[Reference] = []
    for owner_kind, field in sorted(
        REFERRING[kind], key=lambda pair: list(COLLECTION).index(pair[0])
    ):
        collection = COLLECTION[owner_kind]
        for owner in getattr(bp, collection):
            if key in getattr(owner, field):
                path = child(child("", collection, owner.key), field)
                found.append(
                    Reference(owner_kind=owner_kind, owner_key=owner.key, field=field, path=path)
                )
    return found


def _swap_keys(keys: list[str], old: str, new: str | None) -> list[str]:
    out: list[str] = []
    for value in keys:
        replacement = new if value == old else value
        if replacement is not None and replacement not in out:
            out.append(replacement)
    return out


def _swap_map(relationships: dict[str, str], old: str, new: str | None) -> dict[str, str]:
    # The renamed entry keeps its place; an entry that already named ``new`` (an unknown
    # character until now) gives way to the renamed one, whose text the writer chose.
    out: dict[str, str] = {}
    for other, text in relationships.items():
        if other == old:
            if new is not None:
                out[new] = text
        elif other != new:
            out[other] = text
    return out


def rewrite_references(
    bp: StoryBlueprint, kind: EntityKind, old: str, new: str | None
) -> StoryBlueprint:
    """``bp`` with every reference to ``old`` pointing at ``new`` (None: removed); entities
    that hold none are shared, not copied."""
    update: dict[str, list[Any]] = {}
    for owner_kind, field in REFERRING[kind]:
        collection = COLLECTION[owner_kind]
        current = update.get(collection, getattr(bp, collection))
        rebuilt: list[Any] = list(current)
        changed = False
        for index, owner in enumerate(rebuilt):
            value = getattr(owner, field)
            if old not in value:
                continue
            swapped = (
                _swap_map(value, old, new)
                if isinstance(value, dict)
                else _swap_keys(value, old, new)
            )
            rebuilt[index] = owner.model_copy(update={field: swapped})
            changed = True
        if changed:
            update[collection] = rebuilt
    return bp.model_copy(update=update) if update else bp
