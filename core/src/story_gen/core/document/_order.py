"""Order of lists whose elements are distinct (entity keys, key lists, canon rules).

Three-way: an element one side moved or inserted is placed right after its nearest
predecessor on that side; everything neither side moved keeps its base order. When
both sides placed the same element after different predecessors (or their placements
form a cycle) the order is *contested*: one deterministic placement wins and the caller
records an order conflict that holds both sides' lists.

"Moved" means: not in a longest common subsequence of the side and the base. Keys are
distinct, so that subsequence is a longest increasing subsequence of base positions,
found in O(n log n) and identically for a given (base, side) pair whichever argument
the side is. Every rule here treats the two sides alike, so
``merge_order(b, x, y) == merge_order(b, y, x)``.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Placement", "merge_order", "placements", "predecessors", "stayed"]


def stayed(base_position: Mapping[str, int], side: Sequence[str]) -> set[str]:
    """The side's elements that kept their base order (a longest increasing subsequence)."""
    common = [key for key in side if key in base_position]
    positions = [base_position[key] for key in common]
    if all(a < b for a, b in itertools.pairwise(positions)):
        return set(common)
    tails: list[int] = []  # tails[n]: index in `common` ending the best run of length n + 1
    tail_positions: list[int] = []
    back: list[int] = [-1] * len(common)
    for index, position in enumerate(positions):
        length = bisect_left(tail_positions, position)
        if length > 0:
            back[index] = tails[length - 1]
        if length == len(tails):
            tails.append(index)
            tail_positions.append(position)
        else:
            tails[length] = index
            tail_positions[length] = position
    keep: set[str] = set()
    index = tails[-1] if tails else -1
    while index != -1:
        keep.add(common[index])
        index = back[index]
    return keep


def predecessors(side: Iterable[str], members: Collection[str]) -> dict[str, str | None]:
    """For each member on this side, the nearest member before it (None: at the start)."""
    before: dict[str, str | None] = {}
    last: str | None = None
    for key in side:
        if key in members:
            before[key] = last
            last = key
    return before


@dataclass(frozen=True)
class Placement:
    """How a list changed from ``a`` to ``b``: what left, what arrived or moved, and where to."""

    removed: list[tuple[str, str | None]]
    """Elements of ``a`` missing from ``b``, each with its predecessor in ``a``."""
    placed: list[tuple[str, str | None, bool, str | None]]
    """In ``b`` order: (element, predecessor in ``b``, is new, predecessor in ``a`` if moved)."""


def placements(a: Sequence[str], b: Sequence[str]) -> Placement:
    """What turns the order ``a`` into ``b``: removals, then insertions and moves in ``b`` order.

    Applying removals and then each placement in order ("put x right after p") yields ``b``
    exactly: elements that are not moved already stand in ``b``'s relative order, and each
    placed element lands right after an element that is already final.
    """
    a_position = {key: index for index, key in enumerate(a)}
    b_keys = set(b)
    removed = [(key, a[i - 1] if i else None) for i, key in enumerate(a) if key not in b_keys]
    keep = stayed(a_position, b)
    placed: list[tuple[str, str | None, bool, str | None]] = []
    for index, key in enumerate(b):
        after = b[index - 1] if index else None
        if key not in a_position:
            placed.append((key, after, True, None))
        elif key not in keep:
            position = a_position[key]
            placed.append((key, after, False, a[position - 1] if position else None))
    return Placement(removed, placed)


def _placed_by(
    side: Sequence[str], base_position: Mapping[str, int], members: Collection[str]
) -> set[str]:
    """The members this side inserted or moved (the rest keep their base order)."""
    keep = stayed(base_position, side)
    return {key for key in side if key in members and key not in keep}


def _head_first(key: str | None) -> tuple[int, str]:
    return (0, "") if key is None else (1, key)


def merge_order(
    base: Sequence[str],
    ours: Sequence[str],
    theirs: Sequence[str],
    members: Collection[str],
) -> tuple[list[str], bool]:
    """Order ``members`` (the merged list's elements); also say whether the order is contested."""
    if list(ours) == list(theirs) and len(ours) == len(members) and all(k in members for k in ours):
        return list(ours), False
    base_position = {key: index for index, key in enumerate(base)}
    by_ours = _placed_by(ours, base_position, members)
    by_theirs = _placed_by(theirs, base_position, members)
    # A side's placement hangs on the nearest element before it that this side did not
    # leave to the other: "a after d" must not follow d when only the other side moved d.
    member_set = set(members)
    before_ours = predecessors(ours, member_set - (by_theirs - by_ours))
    before_theirs = predecessors(theirs, member_set - (by_ours - by_theirs))
    parent: dict[str, str | None] = {}
    contested = False
    for key in by_ours | by_theirs:
        if key in by_ours and key in by_theirs and before_ours[key] != before_theirs[key]:
            contested = True
            parent[key] = min(before_ours[key], before_theirs[key], key=_head_first)
        else:
            parent[key] = before_ours[key] if key in by_ours else before_theirs[key]
    children: dict[str | None, list[str]] = {}
    for key, after in parent.items():
        children.setdefault(after, []).append(key)
    for siblings in children.values():
        siblings.sort()
    out: list[str] = []
    emitted: set[str] = set()

    def emit(root: str | None) -> None:
        # Iterative depth-first walk: a chain of a thousand insertions must not hit the
        # recursion limit (which is lower in Pyodide).
        stack = [root]
        while stack:
            node = stack.pop()
            if node is not None:
                if node in emitted:
                    continue
                emitted.add(node)
                out.append(node)
            stack.extend(reversed(children.get(node, ())))

    emit(None)
    for key in base:
        if key in members and key not in parent:
            emit(key)
    if len(out) < len(members):
        # Placements that chase each other ("x after p" on one side, "p after x" on the
        # other) reach no anchored element: anchor the smallest key at the end, repeatedly.
        contested = True
        for key in sorted(set(members) - emitted):
            if key not in emitted:
                emit(key)
    return out, contested
