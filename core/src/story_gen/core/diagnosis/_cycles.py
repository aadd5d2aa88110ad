"""The prerequisite graph: its cycle findings, and whether one chapter reaches another.

Findings are kept without a path: where the prerequisite sits in the chapter's list is looked
up when the chapter's bucket is built, so editing the list order never leaves a stale path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from story_gen.core.diagnosis._entity import Facts, locate_reference
from story_gen.core.diagnosis._entries import Entry, entry, field_rank, ref_position
from story_gen.core.diagnostic import Severity
from story_gen.core.graph import CycleReport, analyse_cycles

__all__ = ["PREREQUISITES", "CycleFinding", "Owners", "graph_findings", "placed", "reaches"]

PREREQUISITES = "prerequisites"
"""The chapter field whose keys are the graph's edges."""

_PREREQUISITES_AT = ref_position("chapters", PREREQUISITES)
_PREREQUISITES_RANK = field_rank("chapters", PREREQUISITES)

Owners = dict[str, list[int]]
"""Key -> the indexes of the entities holding it, ascending; the first is the graph's node."""


def graph_findings(facts: Sequence[Facts], owners: Owners) -> dict[int, tuple[CycleFinding, ...]]:
    """Cycle and blocked-chapter findings per chapter index (empty when the graph is acyclic)."""
    # A duplicated key's later chapters stay out of the graph until renamed.
    nodes = [i for i, f in enumerate(facts) if f.key is not None and owners[f.key][0] == i]
    node_of = {facts[i].key: n for n, i in enumerate(nodes)}
    succ = [
        [node_of[key] for key in facts[i].refs[_PREREQUISITES_AT] if key in node_of] for i in nodes
    ]
    report = analyse_cycles(succ)
    return _findings(report, nodes, facts) if not report.acyclic else {}


def reaches(facts: Sequence[Facts], owners: Owners, starts: list[int], target: int) -> bool:
    """Whether following prerequisites from ``starts`` (one step or more) reaches ``target``."""
    stack = list(starts)
    seen = set(stack)
    while stack:
        node = stack.pop()
        for key in facts[node].refs[_PREREQUISITES_AT]:
            holders = owners.get(key)
            if holders is None:
                continue
            nxt = holders[0]
            if nxt == target:
                return True
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False


class CycleFinding(NamedTuple):
    """A cycle finding about one chapter, placed at its prerequisite ``prerequisite``.

    Kept without a path: where the prerequisite sits in the chapter's list is looked up
    when the chapter's bucket is built, so editing the list order never leaves a stale path.
    """

    severity: Severity
    code: str
    prerequisite: str
    message: str
    hint: str


def _findings(
    report: CycleReport, nodes: Sequence[int], facts: Sequence[Facts]
) -> dict[int, tuple[CycleFinding, ...]]:
    def key_of(node: int) -> str:
        key = facts[nodes[node]].key
        assert key is not None
        return key

    circles = [" -> ".join(key_of(n) for n in [*cycle, cycle[0]]) for cycle in report.cycles]
    found: dict[int, list[CycleFinding]] = {}
    for c, cycle in enumerate(report.cycles):
        first, second = cycle[0], cycle[1]
        tangled = [key_of(n) for n in report.components[c] if n not in cycle]
        verb = "waits" if len(tangled) == 1 else "wait"
        also = f" ({', '.join(tangled)} also {verb} inside this loop)" if tangled else ""
        found.setdefault(nodes[first], []).append(
            CycleFinding(
                Severity.ERROR,
                "chapter.cycle",
                key_of(second),
                f"These chapters wait for each other in a circle: {circles[c]}{also}, "
                'so none of them can ever be written ("a -> b" means a needs b first).',
                f'Remove one prerequisite of the circle, e.g. "{key_of(second)}" '
                f'from chapter "{key_of(first)}".',
            )
        )
    for node, (via, component) in sorted(report.blocked.items()):
        how = "is caught in" if via in report.component_of else "depends on"
        found.setdefault(nodes[node], []).append(
            CycleFinding(
                Severity.WARNING,
                "chapter.unreachable",
                key_of(via),
                f'Chapter "{key_of(node)}" can never be written: its prerequisite '
                f'"{key_of(via)}" {how} the circle {circles[component]}.',
                "Break the circle first: its error, on a chapter of the circle, says how.",
            )
        )
    return {index: tuple(findings) for index, findings in found.items()}


def placed(index: int, raw: object, finding: CycleFinding) -> Entry:
    name, position = locate_reference(raw, PREREQUISITES, finding.prerequisite)
    return entry(
        finding.severity,
        finding.code,
        ("chapters", index, PREREQUISITES, name if name is not None else position),
        finding.message,
        finding.hint,
        rank=(_PREREQUISITES_RANK, position),
    )
