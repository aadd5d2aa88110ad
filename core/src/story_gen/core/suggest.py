""" "Did you mean ...?": the closest known key (or field name) to a mistyped one.

Edit distance with transpositions (``hatetr`` -> ``hatter`` is one edit), bounded so
that a miss is cheap: candidates whose length or set of letters is too different are
skipped before any table is filled, and a table stops as soon as a whole row exceeds
the bound. The answer does not depend on the order of the candidates (ties go to the
alphabetically first), so callers may pass any iterable, e.g. a dict's keys.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["KeyIndex", "closer", "closest", "edit_distance"]


def _limit_for(word: str) -> int:
    # One slip per three letters, at most three: "hop" -> "hope" but never "hop" -> "sky".
    return max(1, min(3, len(word) // 3))


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance of ``a`` and ``b``, or ``limit + 1`` if it exceeds."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if len(set(a) ^ set(b)) > 2 * limit:
        return limit + 1  # every edit changes at most two letters of the letter set
    return _table_distance(a, b, limit)


def _table_distance(a: str, b: str, limit: int) -> int:
    """The dynamic-programming table, only within ``limit`` of its diagonal (Ukkonen's band).

    A cell further than ``limit`` from the diagonal costs more than ``limit`` on any
    path through it, so it is never computed; values are capped at ``limit + 1``.
    """
    width = len(b)
    big = limit + 1
    previous2: list[int] = []
    previous = [j if j <= limit else big for j in range(width + 1)]
    for i in range(1, len(a) + 1):
        current = [big] * (width + 1)
        current[0] = i if i <= limit else big
        row_best = current[0]
        char_a = a[i - 1]
        for j in range(max(1, i - limit), min(width, i + limit) + 1):
            char_b = b[j - 1]
            best = previous[j - 1] + (char_a != char_b)
            if previous[j] + 1 < best:
                best = previous[j] + 1
            if current[j - 1] + 1 < best:
                best = current[j - 1] + 1
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                best = min(best, previous2[j - 2] + 1)
            if best > big:
                best = big
            current[j] = best
            if best < row_best:
                row_best = best
        if row_best > limit:
            return big
        previous2, previous = previous, current
    return min(previous[width], big)


_Profile = tuple[int, frozenset[str], frozenset[str]]
_PROFILES: dict[str, _Profile] = {}
_PROFILES_MAX = 1 << 16


def _profile(word: str) -> _Profile:
    """Length, letters and letter pairs of a word: cheap lower bounds on edit distance.

    One edit changes at most two letters of the letter set and destroys at most three
    letter pairs (a transposition: the swapped pair and its two neighbours), so after
    ``k`` edits at most ``2k`` letters and ``3k`` pairs of one word are missing from the
    other. Memoised (a bounded dict): keys recur in every search.
    """
    found = _PROFILES.get(word)
    if found is None:
        if len(_PROFILES) >= _PROFILES_MAX:
            _PROFILES.clear()
        pairs = frozenset(word[i : i + 2] for i in range(len(word) - 1))
        found = _PROFILES[word] = (len(word), frozenset(word), pairs)
    return found


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate nearest to ``word``, or None when nothing is close (``word`` excluded).

    Near means within a few edits (one per three letters, at most three); failing
    that, a candidate that starts with ``word`` or that ``word`` starts with
    (``draft`` -> ``draft_text``, ``hopeful`` -> ``hope``), the closest in length.
    For repeated searches over a slowly changing set of keys, keep a :class:`KeyIndex`.
    """
    return KeyIndex(candidates).closest(word)


class KeyIndex:
    """A set of keys grouped by length, searched by :meth:`closest` and updated in place.

    The search tries distance 1 first, then 2, then 3, looking only at keys whose length
    is within that distance: a typo is usually one edit away, and the cheap bounds of
    :func:`_profile` reject nearly every candidate when the distance allowed is small.
    It runs on every keystroke that leaves a reference unknown, so its inner loop makes
    no call for a rejected candidate.
    """

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self._by_length: dict[int, set[str]] = {}
        for key in keys:
            self.add(key)

    def add(self, key: str) -> None:
        self._by_length.setdefault(len(key), set()).add(key)

    def discard(self, key: str) -> None:
        bucket = self._by_length.get(len(key))
        if bucket is not None:
            bucket.discard(key)
            if not bucket:
                del self._by_length[len(key)]

    def closest(self, word: str) -> str | None:
        size, letters, pairs = _profile(word)
        for bound in range(1, _limit_for(word) + 1):
            found: list[str] = []
            for length in range(size - bound, size + bound + 1):
                for candidate in self._by_length.get(length, ()):
                    _, other_letters, other_pairs = _PROFILES.get(candidate) or _profile(candidate)
                    if (
                        len(letters ^ other_letters) <= 2 * bound
                        and len(pairs - other_pairs) <= 3 * bound
                        and len(other_pairs - pairs) <= 3 * bound
                        and candidate != word
                        and _table_distance(word, candidate, bound) == bound
                    ):
                        found.append(candidate)
            if found:
                return min(found)
        prefixed = [
            (abs(length - size), candidate)
            for length, bucket in self._by_length.items()
            if min(length, size) >= 3
            for candidate in bucket
            if candidate != word and (candidate.startswith(word) or word.startswith(candidate))
        ]
        return min(prefixed)[1] if prefixed else None


def _rank(word: str, candidate: str) -> tuple[int, int, str] | None:
    """The order :func:`closest` picks by: near ones by distance, then prefix ones by length."""
    if candidate == word:
        return None
    limit = _limit_for(word)
    distance = edit_distance(word, candidate, limit)
    if distance <= limit:
        return (0, distance, candidate)
    if min(len(candidate), len(word)) >= 3 and (
        candidate.startswith(word) or word.startswith(candidate)
    ):
        return (1, abs(len(candidate) - len(word)), candidate)
    return None


def closer(word: str, current: str | None, candidate: str) -> str | None:
    """``closest(word, keys + [candidate])`` given ``current == closest(word, keys)``.

    Lets a cached suggestion follow a newly added key without searching every key again.
    """
    ranks = [
        rank
        for rank in (_rank(word, current) if current is not None else None, _rank(word, candidate))
        if rank
    ]
    return min(ranks)[2] if ranks else None
