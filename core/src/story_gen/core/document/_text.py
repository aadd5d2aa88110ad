"""Line-based text: the delta between two drafts, and the three-way merge of drafts.

A draft is a list of lines (``str.split("\\n")``; one paragraph per line is the usual
prose layout). The three-way merge is diff3-style: each side's changes against the
base are hunks; hunks of the two sides that overlap *or touch* form one region, which
is clean when only one side changed it or both made the same change, and a conflict
otherwise (touching edits conflict, as in diff3 and git: two writers rewriting
neighbouring paragraphs should look at each other's work).
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

__all__ = ["Hunk", "TextMerge", "hunks", "lines_of", "merge_lines", "text_of"]


def lines_of(text: str | None) -> list[str]:
    return text.split("\n") if text else []


def text_of(lines: list[str]) -> str | None:
    """Join lines the way ``Chapter.draft_text`` normalises: trailing blanks dropped, "" is None."""
    return "\n".join(lines).rstrip() or None


@dataclass(frozen=True)
class Hunk:
    """Base lines ``[start, end)`` are replaced by ``lines``."""

    start: int
    end: int
    lines: list[str]


def hunks(a: list[str], b: list[str]) -> list[Hunk]:
    """The changes that turn ``a`` into ``b``, in order, non-overlapping and non-touching."""
    if a == b:
        return []
    # Trim the common ends first: a typical edit touches a few lines of a long draft,
    # and SequenceMatcher is quadratic in what is left.
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    a_mid, b_mid = a[head : len(a) - tail], b[head : len(b) - tail]
    if not a_mid or not b_mid:
        return [Hunk(head, head + len(a_mid), list(b_mid))]
    matcher = SequenceMatcher(None, a_mid, b_mid, autojunk=False)
    return [
        Hunk(head + i1, head + i2, b_mid[j1:j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


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
