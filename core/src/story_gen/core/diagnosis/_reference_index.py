"""Who holds each key, who names it, and the "did you mean" answers, kept up to date edit by edit.

Built from the facts of every entity (:func:`~story_gen.core.diagnosis._entity.check_entity`):

- ``owners[kind][key]``: the indexes of the entities with that key, ascending (more than one
  is a duplicate; the first holds the key in the prerequisite graph);
- ``uses[kind][key]``: how many chapters name a theme / character (none: it is unused);
- who references each key (built on the first edit: a one-off ``diagnose()`` never needs it);
- who holds an unknown reference to each kind (their "did you mean" hints change when that
  kind's set of keys changes);
- the cached "did you mean" answers, per kind.

Each update returns the entities whose cross-entity findings it may have changed; which
findings those are is the business of :mod:`~story_gen.core.diagnosis._buckets`.
"""

from __future__ import annotations

from bisect import insort
from collections import Counter
from itertools import chain

from story_gen.core.diagnosis._cycles import Owners
from story_gen.core.diagnosis._entity import Facts
from story_gen.core.diagnosis._entries import KINDS, REF_FIELDS, ref_position
from story_gen.core.suggest import KeyIndex, closer

__all__ = ["Ref", "ReferenceIndex"]

Ref = tuple[str, int]
"""An entity: (kind, index)."""

_COUNTED = frozenset({"required_themes", "participating_characters"})
"""Chapter fields that make a theme / character "used"."""

_COUNTED_AT = {
    target: ref_position("chapters", field)
    for field, target in REF_FIELDS["chapters"]
    if field in _COUNTED
}
"""Per counted kind: where a chapter's :attr:`Facts.refs` holds the keys that use it."""

_HINT_CACHE_MAX = 512
"""Cached "did you mean" answers kept per kind before the cache starts over: typing an unknown
key makes one entry per keystroke, and every key change walks the cache."""


def _owners_of(facts: list[Facts]) -> Owners:
    owners: Owners = {}
    for i, found in enumerate(facts):
        key = found.key
        if key is not None:
            holders = owners.get(key)
            if holders is None:
                owners[key] = [i]
            else:
                holders.append(i)
    return owners


class ReferenceIndex:
    """The key and reference indexes over the entities of one document.

    Shares the session's ``facts`` lists (it reads them, never writes them): update the facts
    first, then tell the index what changed with :meth:`move_key` / :meth:`move_references`.
    """

    __slots__ = (
        "_facts",
        "_hints",
        "_key_indexes",
        "_referrers",
        "_unknown",
        "_unknown_of",
        "owners",
        "uses",
    )

    owners: dict[str, Owners]
    uses: dict[str, Counter[str]]
    _referrers: dict[str, dict[str, set[Ref]]] | None
    _unknown: dict[str, set[Ref]]
    _unknown_of: dict[Ref, set[str]]
    _hints: dict[str, dict[str, str | None]]
    _key_indexes: dict[str, KeyIndex]

    def __init__(self, facts: dict[str, list[Facts]]) -> None:
        self._facts = facts
        self.owners = {kind: _owners_of(facts[kind]) for kind in KINDS}
        chapters = facts["chapters"]
        self.uses = {
            target: Counter(chain.from_iterable(f.refs[n] for f in chapters))
            for target, n in _COUNTED_AT.items()
        }
        self._referrers = None
        self._unknown = {kind: set() for kind in KINDS}
        self._unknown_of = {}
        self._hints = {kind: {} for kind in KINDS}
        self._key_indexes = {}

    # ------------------------------------------------------------------ reading

    def place(self, kind: str, key: str) -> int | None:
        """The index of the one entity of ``kind`` with ``key``; None if none or several."""
        holders = self.owners[kind].get(key)
        return holders[0] if holders is not None and len(holders) == 1 else None

    def hint(self, target: str, ref: str) -> str | None:
        """The "did you mean" key of ``target`` kind for the unknown reference ``ref``."""
        cache = self._hints[target]
        if ref not in cache:
            cache[ref] = self._key_index(target).closest(ref)
        return cache[ref]

    # ------------------------------------------------------------------ updating

    def track_referrers(self) -> None:
        """Build "who references key k" (once), from the facts as they are before an edit."""
        self._referrers_by_key()

    def move_key(self, kind: str, index: int, old_key: str | None, new_key: str | None) -> set[Ref]:
        """Entity ``index`` of ``kind`` changed its key (None: none valid); the entities affected."""
        referrers = self._referrers_by_key()
        affected: set[Ref] = set()
        owners = self.owners[kind]
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
            key_index = self._key_indexes.get(kind)
            if key_index is not None:
                if gone is not None:
                    key_index.discard(gone)
                if arrived is not None:
                    key_index.add(arrived)
            self._follow_hints(kind, gone, arrived)
            affected |= self._unknown[kind]
        return affected

    def move_references(
        self, kind: str, index: int, field: str, target: str, removed: set[str], added: set[str]
    ) -> set[Ref]:
        """Entity ``index`` of ``kind`` stopped / started naming keys of ``target`` in ``field``;
        the entities affected (a theme or character whose use count went to or from zero)."""
        affected: set[Ref] = set()
        by_key = self._referrers_by_key()[target]
        uses = self.uses[target] if kind == "chapters" and field in _COUNTED else None
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
                    affected.update((target, i) for i in self.owners[target].get(key, ()))
        for key in added:
            by_key.setdefault(key, set()).add((kind, index))
            if uses is not None:
                uses[key] += 1
                if uses[key] == 1:
                    affected.update((target, i) for i in self.owners[target].get(key, ()))
        return affected

    def note_unknown(self, ref: Ref, targets: set[str] | None) -> None:
        """Remember which kinds ``ref`` holds unknown references to (None: no kind)."""
        before = self._unknown_of.get(ref) if self._unknown_of else None
        if targets or before:
            for target in before or ():
                self._unknown[target].discard(ref)
            for target in targets or ():
                self._unknown[target].add(ref)
            self._unknown_of[ref] = targets or set()

    def forget(self, ref: Ref) -> None:
        """The entity ``ref`` is gone (the last of its list): drop what only it was noted for."""
        for target in self._unknown_of.pop(ref, ()):
            self._unknown[target].discard(ref)

    # ------------------------------------------------------------------ internals

    def _referrers_by_key(self) -> dict[str, dict[str, set[Ref]]]:
        referrers = self._referrers
        if referrers is None:
            referrers = {kind: {} for kind in KINDS}
            for kind in KINDS:
                for n, (_, target) in enumerate(REF_FIELDS[kind]):
                    by_key = referrers[target]
                    for i, facts in enumerate(self._facts[kind]):
                        for key in facts.refs[n]:
                            by_key.setdefault(key, set()).add((kind, i))
            self._referrers = referrers
        return referrers

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

    def _key_index(self, kind: str) -> KeyIndex:
        found = self._key_indexes.get(kind)
        if found is None:
            found = self._key_indexes[kind] = KeyIndex(self.owners[kind])
        return found
