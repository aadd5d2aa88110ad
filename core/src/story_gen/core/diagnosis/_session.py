"""Incremental diagnosis: re-check only what an edit can affect.

A :class:`DiagnosisSession` is a thin coordinator over one raw document and four parts:

- the facts of every entity (:func:`~._entity.check_entity`, a pure function of one entity)
  and of the blueprint's own fields (:func:`~._entity.check_top`);
- the reference index (:mod:`._reference_index`): who holds each key, who names it, how often
  a theme / character is used, the "did you mean" answers;
- the graph state (:mod:`._graph_state`): the cycle findings of the prerequisite graph;
- the buckets (:mod:`._buckets`): each entity's diagnostics, in document order.

An edit replaces the edited entity's facts, tells the index and (for a chapter whose key or
prerequisites changed) the graph what changed, and each answers with the entities whose
cross-entity findings may have changed; exactly those buckets are rebuilt. ``diagnose(raw)``
is a fresh session, so the full and the incremental results come from the same code, and
property tests check they are equal after any sequence of edits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from story_gen.core.blueprint import Chapter, Character, StoryBlueprint, Theme
from story_gen.core.diagnosis._buckets import Buckets
from story_gen.core.diagnosis._cycles import PREREQUISITES
from story_gen.core.diagnosis._entity import Facts, TopFacts, check_entity, check_top
from story_gen.core.diagnosis._entries import KINDS, REF_FIELDS, STRUCTURAL_CODES
from story_gen.core.diagnosis._follow import follow
from story_gen.core.diagnosis._graph_state import GraphState
from story_gen.core.diagnosis._raw import (
    InvalidEditError,
    delete_in,
    index_in,
    owned,
    parts_of,
    set_in,
)
from story_gen.core.diagnosis._reference_index import Ref, ReferenceIndex
from story_gen.core.diagnostic import Diagnostic
from story_gen.core.paths import PathPart

if TYPE_CHECKING:
    from story_gen.core.patch import Applied
    from story_gen.core.story import Story

__all__ = ["DiagnosisSession", "InvalidEditError"]

_OWN_FIELDS = tuple(name for name in StoryBlueprint.model_fields if name not in KINDS)
"""The blueprint's own fields (premise, canon rules, ...): taken from the checked top object."""

_ABSENT = object()
"""What ``_apply`` is given instead of an entity when the last one of its list is deleted."""


class DiagnosisSession:
    """A blueprint being edited, with its diagnostics kept up to date edit by edit.

    Create one from any JSON-like value (it never raises, whatever the value), read
    :meth:`diagnostics`, then apply edits; each edit re-checks only what it can
    affect, and the result always equals ``diagnose()`` of the edited document.

    Edits address locations with the same paths diagnostics use (a string such as
    ``"chapters[3].prerequisites[0]"`` or a sequence of parts such as
    ``("chapters", 3, "prerequisites", 0)``):

    - ``set_field(path, value)``: put ``value`` at ``path``. An object field is
      created if needed; a list index may be one past the end (append).
      ``set_field("chapters[3]", {...})`` replaces a whole chapter,
      ``set_field("", doc)`` the whole document.
    - ``delete(path)``: remove an object field or a list item (later items move up).
    - ``update_entity(kind, index, raw)``: shorthand for ``set_field((kind, index), raw)``.

    A path that does not exist raises :class:`InvalidEditError` and changes nothing.
    Removing or inserting an entity other than the last re-checks everything (every
    later entity's paths change); every other edit is incremental.

    The session keeps the caller's entity objects (it copies only the top object and
    the entity lists, and copies on write below that): do not mutate the value you
    passed in, and treat :meth:`document` as read-only.
    """

    _raw: object
    _top: TopFacts
    _facts: dict[str, list[Facts]]
    _index: ReferenceIndex
    _graph: GraphState
    _buckets: Buckets

    def __init__(self, raw: object, *, trusted: bool = False) -> None:
        """``trusted``: ``raw`` is the blueprint of a story proved to be the canonical form
        the core wrote (:func:`story_gen.core.stored.open_story` decides it, by its digest);
        its entities are then built without validating them again. Never pass it for
        anything else: an invalid entity would go unreported."""
        self._reset(raw, trusted=trusted)

    # ------------------------------------------------------------------ reading

    def document(self) -> object:
        """The current raw document (read-only)."""
        return self._raw

    def diagnostics(self) -> list[Diagnostic]:
        """Every problem, in document order (see ``diagnose``)."""
        return self._buckets.diagnostics(self._top)

    def blueprint(self) -> StoryBlueprint | None:
        """The validated blueprint, or None when a structural error stops the model.

        Unknown references and cycles do not stop it (the model allows them); schema
        errors, invalid and duplicate keys do. No entity is validated twice.
        """
        if self._top.top is None or any(
            diagnostic.code in STRUCTURAL_CODES for diagnostic in self.diagnostics()
        ):
            return None
        top = self._top.top
        own = {name: getattr(top, name) for name in _OWN_FIELDS}
        return StoryBlueprint.model_construct(
            **own,
            themes=[f.model for f in self._facts["themes"] if isinstance(f.model, Theme)],
            characters=[
                f.model for f in self._facts["characters"] if isinstance(f.model, Character)
            ],
            chapters=[f.model for f in self._facts["chapters"] if isinstance(f.model, Chapter)],
        )

    # ------------------------------------------------------------------ editing

    def set_field(self, path: str | Sequence[PathPart], value: object) -> None:
        parts = parts_of(path)
        if not parts:
            self._reset(value)
            return
        raw = self._require_object()
        head = parts[0]
        if head in KINDS and isinstance(head, str):
            items = raw.get(head)
            if len(parts) == 1 or not isinstance(items, list):
                self._reset(set_in(raw, parts, value))
                return
            index = index_in(parts[1], len(items), allow_end=len(parts) == 2)
            entity = value if len(parts) == 2 else set_in(items[index], parts[2:], value)
            self._apply(head, index, entity)
            return
        self._raw = set_in(raw, parts, value)
        self._top = check_top(self._raw)

    def delete(self, path: str | Sequence[PathPart]) -> None:
        parts = parts_of(path)
        if not parts:
            raise InvalidEditError("the whole document cannot be deleted; set it to {} instead")
        raw = self._require_object()
        head = parts[0]
        if head in KINDS and isinstance(head, str):
            items = raw.get(head)
            if len(parts) == 1 or not isinstance(items, list):
                self._reset(delete_in(raw, parts))
                return
            index = index_in(parts[1], len(items), allow_end=False)
            if len(parts) > 2:
                self._apply(head, index, delete_in(items[index], parts[2:]))
            elif index == len(items) - 1:
                self._apply(head, index, _ABSENT)
            else:
                self._reset(delete_in(raw, parts))
            return
        self._raw = delete_in(raw, parts)
        self._top = check_top(self._raw)

    def update_entity(self, kind: str, index: int, raw: object) -> None:
        self.set_field((kind, index), raw)

    def follow(self, applied: Applied[StoryBlueprint] | Applied[Story]) -> None:
        """Catch up with a patch applied to the blueprint this session holds.

        ``applied`` is an ``Edit`` of ``story_gen.core.edits`` or what
        :func:`~story_gen.core.patch.apply_tracked` returns: the new document and the
        entities the patch touched. Only those entities are re-checked (plus what they
        affect); a patch that inserts or removes an entity other than the last, adds or
        removes more than one, or changes more than about a quarter of a list (a move
        across it), re-checks that list whole.
        """
        follow(self, applied)

    def keys(self, kind: str) -> list[str | None]:
        """The normalised key of each entity of ``kind`` (None where it is invalid)."""
        return [facts.key for facts in self._facts[kind]]

    def place(self, kind: str, key: str) -> int | None:
        """The index of the one entity of ``kind`` with ``key``; None if none or several."""
        return self._index.place(kind, key)

    # ------------------------------------------------------------------ internals

    def _require_object(self) -> dict[object, object]:
        if not isinstance(self._raw, dict):
            raise InvalidEditError("the document is not an object; replace it whole (path '')")
        return self._raw

    def _items(self, kind: str) -> Sequence[object]:
        value = self._raw.get(kind) if isinstance(self._raw, dict) else None
        return value if isinstance(value, list) else ()

    def _reset(self, raw: object, *, trusted: bool = False) -> None:
        self._raw = owned(raw)
        self._top = check_top(self._raw)
        self._facts = {
            kind: [
                check_entity(kind, i, item, trusted=trusted)
                for i, item in enumerate(self._items(kind))
            ]
            for kind in KINDS
        }
        self._index = ReferenceIndex(self._facts)
        self._graph = GraphState(self._facts["chapters"], self._index.owners["chapters"])
        self._buckets = Buckets(self._facts, self._index, self._graph)

    def _apply(self, kind: str, index: int, raw: object) -> None:
        """Replace (or append, or with ``_ABSENT`` drop the last) entity and re-check."""
        references = self._index
        references.track_referrers()  # from the facts as they are before the edit
        facts = self._facts[kind]
        items = self._raw[kind]  # type: ignore[index]
        old = facts[index] if index < len(facts) else None
        new = None if raw is _ABSENT else check_entity(kind, index, raw)
        if new is None:
            items.pop()
            facts.pop()
            self._buckets.popped(kind)
            references.forget((kind, index))
        elif old is None:
            items.append(raw)
            facts.append(new)
            self._buckets.appended(kind)
        else:
            items[index] = raw
            facts[index] = new
        affected: set[Ref] = {(kind, index)} if new is not None else set()
        graph_dirty = False
        old_key = old.key if old is not None else None
        new_key = new.key if new is not None else None
        if old_key != new_key:
            affected |= references.move_key(kind, index, old_key, new_key)
            graph_dirty = kind == "chapters"
        added_prerequisites: set[str] = set()
        for n, (field, target) in enumerate(REF_FIELDS[kind]):
            before: Sequence[str] = old.refs[n] if old is not None else ()
            after: Sequence[str] = new.refs[n] if new is not None else ()
            if list(before) == list(after):
                continue
            removed, added = set(before) - set(after), set(after) - set(before)
            affected |= references.move_references(kind, index, field, target, removed, added)
            if field == PREREQUISITES:
                graph_dirty = True
                added_prerequisites = added
        if graph_dirty:
            changed = self._graph.follow(index, old, new, added_prerequisites)
            affected.update(("chapters", i) for i in changed)
        self._buckets.recheck(affected)
