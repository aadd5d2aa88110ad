"""Prerequisite graph algorithms shared by diagnosis and planning.

Nodes are ``0..n-1`` in document order; ``succ[u]`` lists the nodes ``u`` needs first
(its prerequisites), in the order the writer listed them. Every function is
deterministic: ties always go to the lower node, i.e. the earlier chapter.

A cyclic *component* is a strongly connected component with more than one node
(self-loops are reported separately, as ``chapter.self_prerequisite``, and never
reach these functions). Each component is reported once, through one concrete
cycle: the shortest one starting at its earliest chapter.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["CycleReport", "analyse_cycles", "is_acyclic", "topological_order"]

Graph = Sequence[Sequence[int]]


def is_acyclic(succ: Graph) -> bool:
    # Writers mostly list earlier chapters as prerequisites: then no cycle is possible
    # and one pass of comparisons proves it, without building anything.
    if all(v < u for u, prerequisites in enumerate(succ) for v in prerequisites):
        return True
    indegree = [0] * len(succ)
    for prerequisites in succ:
        for v in prerequisites:
            indegree[v] += 1
    ready = [u for u, degree in enumerate(indegree) if degree == 0]
    seen = 0
    while ready:
        u = ready.pop()
        seen += 1
        for v in succ[u]:
            indegree[v] -= 1
            if indegree[v] == 0:
                ready.append(v)
    return seen == len(succ)


def _components(succ: Graph) -> list[list[int]]:
    """Strongly connected components with two or more nodes (iterative Tarjan), sorted."""
    count = len(succ)
    index = [-1] * count
    low = [0] * count
    on_stack = [False] * count
    stack: list[int] = []
    found: list[list[int]] = []
    counter = 0
    for root in range(count):
        if index[root] != -1:
            continue
        work: list[tuple[int, int]] = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            node, position = work[-1]
            children = succ[node]
            if position < len(children):
                work[-1] = (node, position + 1)
                child = children[position]
                if index[child] == -1:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack[child] = True
                    work.append((child, 0))
                elif on_stack[child]:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                members: list[int] = []
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    members.append(member)
                    if member == node:
                        break
                if len(members) > 1:
                    found.append(sorted(members))
    found.sort()
    return found


def _shortest_cycle(start: int, members: set[int], succ: Graph) -> list[int]:
    """The shortest cycle from ``start`` back to itself inside one component (BFS)."""
    parent: dict[int, int] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in succ[node]:
            if child not in members:
                continue
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                path.reverse()
                return path
            if child not in parent:
                parent[child] = node
                queue.append(child)
    raise AssertionError("a strongly connected component always has a cycle through each node")


@dataclass(frozen=True, slots=True)
class CycleReport:
    """What the cycles of a prerequisite graph block."""

    cycles: list[list[int]] = field(default_factory=list)
    """One cycle per cyclic component, starting at its earliest node (without the repeat)."""
    components: list[list[int]] = field(default_factory=list)
    """All nodes of each cyclic component, sorted; ``components[c]`` goes with ``cycles[c]``."""
    component_of: dict[int, int] = field(default_factory=dict)
    """Node -> index of the cyclic component it is part of."""
    blocked: dict[int, tuple[int, int]] = field(default_factory=dict)
    """Node outside every cycle that depends on one -> (the prerequisite it waits on, component)."""

    @property
    def acyclic(self) -> bool:
        return not self.cycles


def analyse_cycles(succ: Graph) -> CycleReport:
    if is_acyclic(succ):
        return CycleReport()
    components = _components(succ)
    component_of = {node: c for c, members in enumerate(components) for node in members}
    cycles = [_shortest_cycle(members[0], set(members), succ) for members in components]
    # Blocked nodes: everything that reaches a cycle. Walk the reversed edges outward
    # from the cycles, nearest first; a node remembers which prerequisite of its own led
    # there (the first one in its list that is stuck), so the message can name it.
    dependents: list[list[int]] = [[] for _ in succ]
    for u, prerequisites in enumerate(succ):
        for v in prerequisites:
            dependents[v].append(u)
    stuck_in: dict[int, int] = dict(component_of)
    blocked: dict[int, tuple[int, int]] = {}
    queue = deque(sorted(component_of))
    while queue:
        node = queue.popleft()
        for dependent in dependents[node]:
            if dependent in stuck_in:
                continue
            via = next(v for v in succ[dependent] if v in stuck_in)
            stuck_in[dependent] = stuck_in[via]
            blocked[dependent] = (via, stuck_in[via])
            queue.append(dependent)
    return CycleReport(cycles, components, component_of, blocked)


def topological_order(succ: Graph) -> tuple[list[int], list[int]]:
    """Writing order: prerequisites first, ties in document order.

    Returns ``(ordered, left_over)``: ``left_over`` holds the nodes in or behind a
    cycle, in document order (they can never be ordered).
    """
    if all(v < u for u, prerequisites in enumerate(succ) for v in prerequisites):
        # Document order already has every prerequisite first, and it is what the
        # document-order tie-break would choose at every step.
        return list(range(len(succ))), []
    remaining = [len(prerequisites) for prerequisites in succ]
    dependents: list[list[int]] = [[] for _ in succ]
    for u, prerequisites in enumerate(succ):
        for v in prerequisites:
            dependents[v].append(u)
    ready = [u for u, count in enumerate(remaining) if count == 0]
    heapq.heapify(ready)
    ordered: list[int] = []
    while ready:
        node = heapq.heappop(ready)
        ordered.append(node)
        for dependent in dependents[node]:
            remaining[dependent] -= 1
            if remaining[dependent] == 0:
                heapq.heappush(ready, dependent)
    placed = set(ordered)
    return ordered, [u for u in range(len(succ)) if u not in placed]
