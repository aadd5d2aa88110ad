"""Each entity's diagnostics, kept in a bucket per entity: the findings bookkeeping.

A bucket holds an entity's local findings (:func:`~._entity.check_entity`) and its
cross-entity ones (:mod:`._findings`: duplicate key, unused, unknown reference; and the cycle
findings of :mod:`._graph_state`), sorted into document order. The whole list of diagnostics
is the concatenation of the buckets, so an edit re-sorts only the buckets it re-checks.
"""

from __future__ import annotations

from itertools import chain

from story_gen.core.diagnosis._cycles import placed
from story_gen.core.diagnosis._entity import Facts, TopFacts
from story_gen.core.diagnosis._entries import KINDS, REF_FIELDS, Entry
from story_gen.core.diagnosis._findings import (
    duplicate,
    local_bucket,
    sort_key,
    unknown_reference,
    unused,
)
from story_gen.core.diagnosis._graph_state import GraphState
from story_gen.core.diagnosis._reference_index import Ref, ReferenceIndex
from story_gen.core.diagnostic import Diagnostic

__all__ = ["Buckets"]

Bucket = tuple[Diagnostic, ...]


class Buckets:
    """The diagnostics of every entity, bucket by bucket, in document order.

    Reads the session's facts, its reference index and its graph state (all shared, all
    updated before :meth:`recheck` is called); writes only the buckets and the index's
    notes of who holds unknown references.
    """

    __slots__ = ("_buckets", "_facts", "_graph", "_index")

    def __init__(
        self, facts: dict[str, list[Facts]], index: ReferenceIndex, graph: GraphState
    ) -> None:
        self._facts = facts
        self._index = index
        self._graph = graph
        suspects = self._suspects()
        self._buckets: dict[str, list[Bucket]] = {}
        for kind in KINDS:
            flagged = suspects[kind]
            self._buckets[kind] = [
                self._bucket(kind, i) if i in flagged else local_bucket(found.local)
                for i, found in enumerate(facts[kind])
            ]

    def diagnostics(self, top: TopFacts) -> list[Diagnostic]:
        """The blueprint's own findings, then every bucket in document order."""
        out = [diagnostic for _, diagnostic in top.local]
        for kind in KINDS:
            for bucket in self._buckets[kind]:
                if bucket:
                    out.extend(bucket)
        return out

    def appended(self, kind: str) -> None:
        """An entity was appended to ``kind`` (its bucket is filled by :meth:`recheck`)."""
        self._buckets[kind].append(())

    def popped(self, kind: str) -> None:
        """The last entity of ``kind`` is gone."""
        self._buckets[kind].pop()

    def recheck(self, affected: set[Ref]) -> None:
        """Rebuild the buckets of ``affected`` entities (those past the end are skipped)."""
        facts = self._facts
        buckets = self._buckets
        for kind, i in affected:
            if i < len(facts[kind]):
                buckets[kind][i] = self._bucket(kind, i)

    # ------------------------------------------------------------------ internals

    def _suspects(self) -> dict[str, set[int]]:
        """Entities that may have a cross-entity finding; for the others it is local only.

        Found in bulk with set operations: duplicated and unused keys, holders of
        references to keys that do not exist, chapters with cycle findings. In a
        healthy blueprint that is almost no one, so a full check skips the per-entity
        cross checks for nearly every entity.
        """
        index = self._index
        flagged: dict[str, set[int]] = {kind: set() for kind in KINDS}
        for kind in KINDS:
            owners = index.owners[kind]
            for holders in owners.values():
                if len(holders) > 1:
                    flagged[kind].update(holders)
            uses = index.uses.get(kind)
            if uses is not None:
                for key in owners.keys() - uses.keys():
                    flagged[kind].update(owners[key])
            facts = self._facts[kind]
            for n, (_, target) in enumerate(REF_FIELDS[kind]):
                known = index.owners[target].keys()
                named = set(chain.from_iterable(f.refs[n] for f in facts))
                missing = named - known
                if missing:
                    flagged[kind].update(
                        i for i, f in enumerate(facts) if not missing.isdisjoint(f.refs[n])
                    )
        flagged["chapters"].update(self._graph.findings)
        return flagged

    def _bucket(self, kind: str, index: int) -> Bucket:
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
        references = self._index
        if key is not None:
            holders = references.owners[kind][key]
            if holders[0] != index:
                found.append(duplicate(kind, index, key, holders[0]))
            uses = references.uses.get(kind)
            if uses is not None and not uses[key]:
                found.append(unused(kind, index, key))
        refs = facts.refs
        if refs:
            unknown_in: set[str] | None = None
            for (field, target), keys in zip(REF_FIELDS[kind], refs, strict=True):
                known = references.owners[target]
                for ref in keys:
                    if ref not in known:
                        found.append(
                            unknown_reference(
                                kind, index, facts, field, ref, references.hint(target, ref)
                            )
                        )
                        if unknown_in is None:
                            unknown_in = set()
                        unknown_in.add(target)
            # Remember who holds unknown references: their hints change with the key set.
            references.note_unknown((kind, index), unknown_in)
        cycles = self._graph.findings
        if cycles and kind == "chapters":
            found.extend(placed(index, facts.raw, f) for f in cycles.get(index, ()))
        return found
