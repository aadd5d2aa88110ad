""" "Did you mean ...?": the closest known key (or field name) to a mistyped one.

Edit distance with transpositions (``hatetr`` -> ``hatter`` is one edit), bounded so
that a miss is cheap: candidates whose length or set of letters is too different are
skipped before any table is filled, and a table stops as soon as a whole row exceeds
the bound. The answer does not depend on the order of the candidates (ties go to the
alphabetically first), so callers may pass any iterable, e.g. a dict's keys.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["closest", "edit_distance"]


def _limit_for(word: str) -> int:
    # One slip per three letters, at most three: "hop" -> "hope" but never "hop" -> "sky".
    return max(1, min(3, len(word) // 3))


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance of ``a`` and ``b``, or ``limit + 1`` if it exceeds."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if len(set(a) ^ set(b)) > 2 * limit:
        return limit + 1  # every edit changes at most two letters of the letter set
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                best = min(best, previous2[j - 2] + 1)
            current[j] = best
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[len(b)], limit + 1)


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate nearest to ``word``, or None when nothing is close (``word`` excluded).

    Near means within a few edits (one per three letters, at most three); failing
    that, a candidate that starts with ``word`` or that ``word`` starts with
    (``draft`` -> ``draft_text``, ``hopeful`` -> ``hope``), the closest in length.
    """
    limit = _limit_for(word)
    best: tuple[int, str] | None = None
    prefix: tuple[int, str] | None = None
    for candidate in candidates:
        if candidate == word:
            continue
        bound = best[0] if best is not None else limit
        distance = edit_distance(word, candidate, bound)
        if distance <= bound and (best is None or (distance, candidate) < best):
            best = (distance, candidate)
        elif best is None and min(len(word), len(candidate)) >= 3 and (
            candidate.startswith(word) or word.startswith(candidate)
        ):
            extra = (abs(len(candidate) - len(word)), candidate)
            prefix = extra if prefix is None or extra < prefix else prefix
    if best is not None:
        return best[1]
    return prefix[1] if prefix is not None else None
