"""Incremental diagnosis: re-check only what an edit can affect.

A :class:`DiagnosisSession` holds a raw blueprint, the facts of every entity
(:func:`check_entity`) and indexes across them:

- ``owners[kind][key]``: the indexes of the entities with that key (duplicates);
- ``uses[kind][key]``: how many chapters name a theme / character (unused-ness);
- ``referrers[kind][key]``: which entities reference that key (built on first edit);
- ``unknown[kind]``: entities holding an unknown reference to that kind (their
  "did you mean" hints change when that kind's set of keys changes);
- the cycle analysis of the prerequisite graph.

Each entity's diagnostics are kept in a bucket; an edit recomputes the edited
entity, then the buckets of exactly the entities whose cross-entity findings may
change, and re-runs the cycle analysis only when prerequisites or chapter keys
changed (and not even then when the graph had no cycle and no added prerequisite
can reach back to the edited chapter). ``diagnose(raw)`` is a fresh session, so the
full and the incremental results come from the same code, and a property test
checks they are equal after any sequence of edits.
"""

from __future__ import annotations

from bisect import insort
from collections import Counter
from collections.abc import Sequence
from itertools import chain
from typing import TYPE_CHECKING

from story_gen.core.blueprint import Chapter, Character, StoryBlueprint, Theme
from story_gen.core.diagnosis._cycles import CycleFinding, graph_findings, placed, reaches
from story_gen.core.diagnosis._entity import (
    Facts,
    TopFacts,
    check_entity,
    check_top,
)
from story_gen.core.diagnosis._entries import (
    KINDS,
    REF_FIELDS,
    STRUCTURAL_CODES,
    Entry,
)
from story_gen.core.diagnosis._findings import (
    duplicate,
    local_bucket,
    sort_key,
    unknown_reference,
    unused,
)
from story_gen.core.diagnosis._follow import follow
from story_gen.core.diagnosis._raw import (
    InvalidEditError,
    delete_in,
    index_in,
    owned,
    parts_of,
    set_in,
)
from story_gen.core.diagnostic import Diagnostic
from story_gen.core.paths import PathPart
from story_gen.core.suggest import KeyIndex, closer

if TYPE_CHECKING:
    from story_gen.core.patch import Applied
    from story_gen.core.story import Story

__all__ = ["DiagnosisSession", "InvalidEditError"]

Ref = tuple[str, int]
"""An entity: (kind, index)."""

_COUNTED = {"required_themes": "themes", "participating_characters": "characters"}
"""Chapter fields that make a theme / character "used"."""

_ABSENT = object()
_HINT_CACHE_MAX = 512


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
    _owners: dict[str, dict[str, list[int]]]
    _uses: dict[str, Counter[str]]
    _referrers: dict[str, dict[str, set[Ref]]] | None
    _unknown: dict[str, set[Ref]]
    _unknown_of: dict[Ref, set[str]]
    _hints: dict[str, dict[str, str | None]]
    _indexes: dict[str, KeyIndex]
    _graph: dict[int, tuple[CycleFinding, ...]]
    _buckets: dict[str, list[tuple[Diagnostic, ...]]]

    def __init__(self, raw: object) -> None:
        self._reset(raw)

    # ------------------------------------------------------------------ reading

    def document(self) -> object:
        """The current raw document (read-only)."""
        return self._raw

    def diagnostics(self) -> list[Diagnostic]:
        """Every problem, in document order (see ``diagnose``)."""
        out = [diagnostic for _, diagnostic in self._top.local]
        for kind in KINDS:
            for bucket in self._buckets[kind]:
                if bucket:
                    out.extend(bucket)
        return out

    def blueprint(self) -> StoryBlueprint | None:
        """The validated blueprint, or None when a structural error stops the model.

        Unknown references and cycles do not stop it (the model allows them); schema
        errors, invalid and duplicate keys do. No entity is validated twice.
        """
        if self._top.top is None or any(
            diagnostic.code in STRUCTURAL_CODES for diagnostic in self.diagnostics()
        ):
            return None
        themes = [f.model for f in self._facts["themes"] if isinstance(f.model, Theme)]
        characters = [f.model for f in self._facts["characters"] if isinstance(f.model, Character)]
        chapters = [f.model for f in self._facts["chapters"] if isinstance(f.model, Chapter)]
        top = self._top.top
        return StoryBlueprint.model_construct(
            premise=top.premise,
            canon_rules=top.canon_rules,
            themes=themes,
            characters=characters,
            chapters=chapters,
            word_target=top.word_target,
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
        affect); a patch that inserts or removes an entity other than the last, or moves
        most of a list, re-checks that list whole.
        """
        follow(self, applied)

    def keys(self, kind: str) -> list[str | None]:
        """The normalised key of each entity of ``kind`` (None where it is invalid)."""
        return [facts.key for facts in self._facts[kind]]

    def place(self, kind: str, key: str) -> int | None:
        """The index of the one entity of ``kind`` with ``key``; None if none or several."""
        holders = self._owners[kind].get(key)
        return holders[0] if holders is not None and len(holders) == 1 else None

    # ------------------------------------------------------------------ internals

    def _require_object(self) -> dict[object, object]:
        if not isinstance(self._raw, dict):
            raise InvalidEditError("the document is not an object; replace it whole (path '')")
        return self._raw

    def _items(self, kind: str) -> Sequence[object]:
        value = self._raw.get(kind) if isinstance(self._raw, dict) else None
        return value if isinstance(value, list) else ()

    def _reset(self, raw: object) -> None:
        self._raw = owned(raw)
        self._top = check_top(self._raw)
        self._facts = {}
        self._owners = {}
        for kind in KINDS:
            facts: list[Facts] = []
            owners: dict[str, list[int]] = {}
            for i, item in enumerate(self._items(kind)):
                found = check_entity(kind, i, item)
                facts.append(found)
                if found.key is not None:
                    holders = owners.get(found.key)
                    if holders is None:
                        owners[found.key] = [i]
                    else:
                        holders.append(i)
            self._facts[kind] = facts
            self._owners[kind] = owners
        chapters = self._facts["chapters"]
        self._uses = {
            "themes": Counter(chain.from_iterable(f.refs[0] for f in chapters)),
            "characters": Counter(chain.from_iterable(f.refs[1] for f in chapters)),
        }
        self._referrers = None
        self._unknown = {kind: set() for kind in KINDS}
        self._unknown_of = {}
        self._hints = {kind: {} for kind in KINDS}
        self._indexes = {}
        self._graph = {}
        self._graph = graph_findings(self._facts["chapters"], self._owners["chapters"])
        self._buckets = {}
        suspects = self._suspects()
        for kind in KINDS:
            flagged = suspects[kind]
            self._buckets[kind] = [
                self._bucket(kind, i) if i in flagged else local_bucket(facts.local)
                for i, facts in enumerate(self._facts[kind])
            ]

    def _suspects(self) -> dict[str, set[int]]:
        """Entities that may have a cross-entity finding; for the others it is local only.

        Found in bulk with set operations: duplicated and unused keys, holders of
        references to keys that do not exist, chapters with cycle findings. In a
        healthy blueprint that is almost no one, so a full check skips the per-entity
        cross checks for nearly every entity.
        """
        flagged: dict[str, set[int]] = {kind: set() for kind in KINDS}
        for kind in KINDS:
            owners = self._owners[kind]
            for holders in owners.values():
                if len(holders) > 1:
                    flagged[kind].update(holders)
            uses = self._uses.get(kind)
            if uses is not None:
                for key in owners.keys() - uses.keys():
                    flagged[kind].update(owners[key])
            for n, (_, target) in enumerate(REF_FIELDS[kind]):
                facts = self._facts[kind]
                known = self._owners[target].keys()
                named = set(chain.from_iterable(f.refs[n] for f in facts))
                missing = named - known
                if missing:
                    flagged[kind].update(
                        i for i, f in enumerate(facts) if not missing.isdisjoint(f.refs[n])
                    )
        flagged["chapters"].update(self._graph)
        return flagged

    def _ensure_referrers(self) -> dict[str, dict[str, set[Ref]]]:
        # Only edits need "who references key k"; a one-off diagnose() never pays for it.
        if self._referrers is None:
            referrers: dict[str, dict[str, set[Ref]]] = {kind: {} for kind in KINDS}
            for kind in KINDS:
                for n, (_, target) in enumerate(REF_FIELDS[kind]):
                    index = referrers[target]
                    for i, facts in enumerate(self._facts[kind]):
                        for key in facts.refs[n]:
                            index.setdefault(key, set()).add((kind, i))
            self._referrers = referrers
        return self._referrers

    def _apply(self, kind: str, index: int, raw: object) -> None:
        """Replace (or append, or with ``_ABSENT`` drop the last) entity and re-check."""
        referrers = self._ensure_referrers()
        facts = self._facts[kind]
        items = self._raw[kind]  # type: ignore[index]
        old = facts[index] if index < len(facts) else None
        new = None if raw is _ABSENT else check_entity(kind, index, raw)
        if new is None:
            items.pop()
            facts.pop()
            self._buckets[kind].pop()
            for target in self._unknown_of.pop((kind, index), ()):
                self._unknown[target].discard((kind, index))
        elif old is None:
            items.append(raw)
            facts.append(new)
            self._buckets[kind].append(())
        else:
            items[index] = raw
            facts[index] = new
        affected: set[Ref] = {(kind, index)} if new is not None else set()
        graph_dirty = False
        old_key = old.key if old is not None else None
        new_key = new.key if new is not None else None
        if old_key != new_key:
            affected |= self._move_key(kind, index, old_key, new_key, referrers)
            graph_dirty = kind == "chapters"
        added_prerequisites: set[str] = set()
        for n, (field, target) in enumerate(REF_FIELDS[kind]):
            before: Sequence[str] = old.refs[n] if old is not None else ()
            after: Sequence[str] = new.refs[n] if new is not None else ()
            if list(before) == list(after):
                continue
            removed, added = set(before) - set(after), set(after) - set(before)
            affected |= self._move_references(kind, index, field, target, removed, added)
            if field == "prerequisites":
                graph_dirty = True
                added_prerequisites = added
        if graph_dirty and not self._still_acyclic(kind, index, old, new, added_prerequisites):
            before_graph = self._graph
            self._graph = graph_findings(self._facts["chapters"], self._owners["chapters"])
            for i in set(before_graph) | set(self._graph):
                if before_graph.get(i) != self._graph.get(i):
                    affected.add(("chapters", i))
        for ref_kind, i in affected:
            if i < len(self._facts[ref_kind]):
                self._buckets[ref_kind][i] = self._bucket(ref_kind, i)

    def _move_key(
        self,
        kind: str,
        index: int,
        old_key: str | None,
        new_key: str | None,
        referrers: dict[str, dict[str, set[Ref]]],
    ) -> set[Ref]:
        affected: set[Ref] = set()
        owners = self._owners[kind]
        gone: str | None = None
        arrived: str | None = None
        if old_key is not None:
            holders = owners[old_key]
            holders.remove(index)
            if holders:
                affected.update((kind, i) for i in holders)
            else:
                del owners[old_key]
                gone = old_key
                affected |= referrers[kind].get(old_key, set())
        if new_key is not None:
            holders = owners.setdefault(new_key, [])
            if holders:
                affected.update((kind, i) for i in holders)
            else:
                arrived = new_key
                affected |= referrers[kind].get(new_key, set())
            insort(holders, index)
        if gone is not None or arrived is not None:
            index_of_keys = self._indexes.get(kind)
            if index_of_keys is not None:
                if gone is not None:
                    index_of_keys.discard(gone)
                if arrived is not None:
                    index_of_keys.add(arrived)
            self._follow_hints(kind, gone, arrived)
            affected |= self._unknown[kind]
        return affected

    def _follow_hints(self, kind: str, gone: str | None, arrived: str | None) -> None:
        """Bring cached "did you mean" answers up to date with one key gone / one arrived.

        A hint only changes if it named the key that is gone (search again) or if the
        new key is closer than it (one comparison): no search over every key per edit.
        """
        cache = self._hints[kind]
        if len(cache) > _HINT_CACHE_MAX:
            cache.clear()
        for word, hint in cache.items():
            if gone is not None and hint == gone:
                cache[word] = self._key_index(kind).closest(word)
            elif arrived is not None:
                cache[word] = closer(word, hint, arrived)

    def _move_references(
        self, kind: str, index: int, field: str, target: str, removed: set[str], added: set[str]
    ) -> set[Ref]:
        affected: set[Ref] = set()
        by_key = self._ensure_referrers()[target]
        counted = kind == "chapters" and field in _COUNTED
        uses = self._uses[target] if counted else None
        for key in removed:
            holders = by_key.get(key)
            if holders is not None:
                holders.discard((kind, index))
                if not holders:
                    del by_key[key]
            if uses is not None:
                uses[key] -= 1
                if uses[key] <= 0:
                    del uses[key]
                    affected.update((target, i) for i in self._owners[target].get(key, ()))
        for key in added:
            by_key.setdefault(key, set()).add((kind, index))
            if uses is not None:
                uses[key] += 1
                if uses[key] == 1:
                    affected.update((target, i) for i in self._owners[target].get(key, ()))
        return affected

    def _still_acyclic(
        self, kind: str, index: int, old: Facts | None, new: Facts | None, added: set[str]
    ) -> bool:
        """True when the graph had no cycle and this edit provably adds none.

        Covers edits to one chapter that change only edges touching it (its
        prerequisites, its key, its key becoming valid or invalid): any new cycle then
        runs through this chapter, so it is enough to check whether the chapter now
        reaches itself. Edits that hand a key over to another chapter (duplicates)
        take the full analysis.
        """
        if self._graph or kind != "chapters" or old is None or new is None:
            return False
        owners = self._owners["chapters"]
        if old.key != new.key and old.key is not None and old.key in owners:
            return False  # another chapter takes the old key over, with its own edges
        if new.key is None:
            return True  # the chapter left the graph: edges only disappeared
        holders = owners[new.key]
        if holders[0] != index:
            return True  # a later duplicate: outside the graph, before and after
        if len(holders) > 1:
            return False  # it displaced the chapter that held this key
        if old.key == new.key:
            starts = [owners[key][0] for key in added if key in owners]
        else:
            starts = [index]
        return not reaches(self._facts["chapters"], self._owners["chapters"], starts, index)

    # --------------------------------------------------------------- cross-entity

    def _bucket(self, kind: str, index: int) -> tuple[Diagnostic, ...]:
        facts = self._facts[kind][index]
        found = self._cross(kind, index, facts)
        local = facts.local
        if not found:
            if not local:
                return ()
            if len(local) == 1:
                return (local[0][1],)
            found = list(local)
        else:
            found.extend(local)
        found.sort(key=sort_key)
        return tuple(diagnostic for _, diagnostic in found)

    def _cross(self, kind: str, index: int, facts: Facts) -> list[Entry]:
        found: list[Entry] = []
        key = facts.key
        if key is not None:
            holders = self._owners[kind][key]
            if holders[0] != index:
                found.append(duplicate(kind, index, key, holders[0]))
            uses = self._uses.get(kind)
            if uses is not None and not uses[key]:
                found.append(unused(kind, index, key))
        refs = facts.refs
        if refs:
            unknown_in: set[str] | None = None
            for (field, target), keys in zip(REF_FIELDS[kind], refs, strict=True):
                known = self._owners[target]
                for ref in keys:
                    if ref not in known:
                        found.append(
                            unknown_reference(
                                kind, index, facts, field, ref, self._hint(target, ref)
                            )
                        )
                        if unknown_in is None:
                            unknown_in = set()
                        unknown_in.add(target)
            before = self._unknown_of.get((kind, index)) if self._unknown_of else None
            if unknown_in or before:
                # Remember who holds unknown references: their hints change with the key set.
                for target in before or ():
                    self._unknown[target].discard((kind, index))
                for target in unknown_in or ():
                    self._unknown[target].add((kind, index))
                self._unknown_of[(kind, index)] = unknown_in or set()
        if self._graph and kind == "chapters":
            found.extend(placed(index, facts.raw, f) for f in self._graph.get(index, ()))
        return found

    def _hint(self, target: str, ref: str) -> str | None:
        cache = self._hints[target]
        if ref not in cache:
            cache[ref] = self._key_index(target).closest(ref)
        return cache[ref]

    def _key_index(self, kind: str) -> KeyIndex:
        found = self._indexes.get(kind)
        if found is None:
            found = self._indexes[kind] = KeyIndex(self._owners[kind])
        return found
