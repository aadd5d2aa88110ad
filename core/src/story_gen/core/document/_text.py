"""Line-based text: the delta between two drafts, and the three-way merge of drafts.

A draft is a list of lines (``str.split("\\n")``; one paragraph per line is the usual
prose layout). The three-way merge is diff3-style: each side's changes against the
base are hunks; hunks of the two sides that overlap *or touch* form one region, which
is clean when only one side changed it or both made the same change, and a conflict
otherwise (touching edits conflict, as in diff3 and git: two writers rewriting
neighbouring paragraphs should look at each other's work).

The delta is Myers' O(ND) diff with a cost cap proportional to the drafts' length
(ADR 0070): a draft anyone can push must not buy quadratic work on the server. Past
the cap the whole changed middle is one hunk, which is still a correct delta; in a
three-way merge where both sides changed that draft it makes one conflicting region,
so both versions are kept for the writer instead of being computed line by line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from story_gen.core.text_rules import normalize_draft

__all__ = [
    "DIFF_COST_FLOOR",
    "DIFF_COST_PER_LINE",
    "Hunk",
    "TextMerge",
    "diff_budget",
    "hunks",
    "lines_of",
    "merge_lines",
    "text_of",
]

DIFF_COST_PER_LINE = 32
"""Diff steps allowed per line of the two drafts' changed middles (see :func:`diff_budget`)."""
DIFF_COST_FLOOR = 50_000
"""Diff steps always allowed: small drafts are always diffed exactly (a few tens of milliseconds)."""


def lines_of(text: str | None) -> list[str]:
    return text.split("\n") if text else []


def text_of(lines: list[str]) -> str | None:
    """Join lines the way ``Chapter.draft_text`` normalises: trailing blanks dropped, "" is None."""
    return normalize_draft("\n".join(lines))


@dataclass(frozen=True)
class Hunk:
    """Base lines ``[start, end)`` are replaced by ``lines``."""

    start: int
    end: int
    lines: list[str]


def diff_budget(a_lines: int, b_lines: int) -> int:
    """The most steps (diagonals visited plus equal lines followed) a diff may take.

    Linear in the input, so a document's merge costs at most a constant times its size;
    exact for any pair of drafts with up to a few hundred changed lines."""
    return DIFF_COST_FLOOR + DIFF_COST_PER_LINE * (a_lines + b_lines)


def hunks(a: list[str], b: list[str], *, budget: int | None = None) -> list[Hunk]:
    """The changes that turn ``a`` into ``b``, in order, non-overlapping and non-touching.

    A shortest edit script when it costs at most ``budget`` steps (default:
    :func:`diff_budget`); past that, one hunk replacing everything between the common
    first and last lines."""
    if a == b:
        return []
    # Trim the common ends first: a typical edit touches a few lines of a long draft.
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    a_mid, b_mid = a[head : len(a) - tail], b[head : len(b) - tail]
    whole = [Hunk(head, head + len(a_mid), list(b_mid))]
    if not a_mid or not b_mid:
        return whole
    cap = diff_budget(len(a_mid), len(b_mid)) if budget is None else budget
    blocks = _matching_blocks(a_mid, b_mid, cap)
    if blocks is None:
        return whole
    out: list[Hunk] = []
    i = j = 0
    for x, y, length in [*blocks, (len(a_mid), len(b_mid), 0)]:
        if x > i or y > j:
            out.append(Hunk(head + i, head + x, b_mid[j:y]))
        i, j = x + length, y + length
    return out


def _matching_blocks(
    a: Sequence[str], b: Sequence[str], budget: int
) -> list[tuple[int, int, int]] | None:
    """Runs of equal lines ``(x, y, length)`` of a shortest edit script (Myers 1986), in
    order; None when finding it would take more than ``budget`` steps."""
    n, m = len(a), len(b)
    offset = n + m + 1
    v = [0] * (2 * offset + 1)  # v[offset + k]: furthest x reached on diagonal k = x - y
    trace: list[list[int]] = []  # before round d: v for diagonals -d-1 .. d+1
    cost = 0
    for d in range(n + m + 1):
        trace.append(v[offset - d - 1 : offset + d + 2])
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and v[offset + k - 1] < v[offset + k + 1]):
                x = v[offset + k + 1]
            else:
                x = v[offset + k - 1] + 1
            y = x - k
            start = x
            while x < n and y < m and a[x] == b[y]:
                x += 1
                y += 1
            cost += 1 + x - start
            v[offset + k] = x
            if x >= n and y >= m:
                return _backtrack(trace, n, m)
        if cost > budget:
            return None
    raise AssertionError("a shortest edit script is at most n + m long")  # pragma: no cover


def _backtrack(trace: list[list[int]], n: int, m: int) -> list[tuple[int, int, int]]:
    blocks: list[tuple[int, int, int]] = []
    x, y = n, m
    for d in range(len(trace) - 1, 0, -1):
        before = trace[d]
        k = x - y
        down = k == -d or (k != d and before[k - 1 + d + 1] < before[k + 1 + d + 1])
        previous = k + 1 if down else k - 1
        px = before[previous + d + 1]
        py = px - previous
        mx, my = (px, py + 1) if down else (px + 1, py)
        if x > mx:
            blocks.append((mx, my, x - mx))
        x, y = px, py
    if x > 0:
        blocks.append((0, 0, x))
    blocks.reverse()
    return blocks


@dataclass(frozen=True)
class TextMerge:
    ours: list[str]
    """The merged lines, taking our version of every conflicting region."""
    theirs: list[str]
    """The merged lines, taking their version of every conflicting region."""
    clean: bool
    """No region conflicts (then ``ours == theirs``)."""


def _version(base: list[str], start: int, end: int, changes: list[Hunk]) -> list[str]:
    out: list[str] = []
    position = start
    for hunk in changes:
        out += base[position : hunk.start]
        out += hunk.lines
        position = hunk.end
    out += base[position:end]
    return out


def merge_lines(base: list[str], ours: list[str], theirs: list[str]) -> TextMerge:
    edits = sorted(
        [(h.start, h.end, 0, h) for h in hunks(base, ours)]
        + [(h.start, h.end, 1, h) for h in hunks(base, theirs)],
        key=lambda edit: (edit[0], edit[1], edit[2]),
    )
    merged_ours: list[str] = []
    merged_theirs: list[str] = []
    clean = True
    position = 0
    index = 0
    while index < len(edits):
        start, end = edits[index][0], edits[index][1]
        group = [edits[index]]
        index += 1
        while index < len(edits) and edits[index][0] <= end:
            end = max(end, edits[index][1])
            group.append(edits[index])
            index += 1
        merged_ours += base[position:start]
        merged_theirs += base[position:start]
        ours_changes = [edit[3] for edit in group if edit[2] == 0]
        theirs_changes = [edit[3] for edit in group if edit[2] == 1]
        ours_version = _version(base, start, end, ours_changes)
        theirs_version = _version(base, start, end, theirs_changes)
        if not theirs_changes:
            theirs_version = ours_version
        elif not ours_changes:
            ours_version = theirs_version
        elif ours_version != theirs_version:
            clean = False
        merged_ours += ours_version
        merged_theirs += theirs_version
        position = end
    merged_ours += base[position:]
    merged_theirs += base[position:]
    return TextMerge(merged_ours, merged_theirs, clean)
