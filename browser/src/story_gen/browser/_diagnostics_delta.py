"""What changed between two lists of diagnostics, as splices the UI applies to the list it holds.

A keystroke in a 5,000-chapter story changes one chapter's problems; sending the whole list
(3,000 notes, half a megabyte of JSON) to the UI on every key was most of the keystroke's
cost (docs/adr/0133-diagnostics-delta.md). The list is the concatenation of per-entity buckets
and a bucket the edit did not re-check keeps its very objects, so the unchanged runs are found
by identity; a re-checked bucket's diagnostics are new objects, compared by value.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from story_gen.browser._records import ProblemCounts
from story_gen.core import Diagnostic, Severity

__all__ = ["DiagnosticsDelta", "Splice", "apply_splices", "counts_after", "splices"]


class Splice(BaseModel):
    """Replace ``remove`` diagnostics at ``at`` (an index in the list before) with ``insert``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    at: int = Field(ge=0, description="Index in the list the splices apply to.")
    remove: int = Field(ge=0)
    insert: list[Diagnostic]


class DiagnosticsDelta(BaseModel):
    """How the story's diagnostics changed since the list of version ``base``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    base: int = Field(description="The diagnostics_version of the list the splices apply to.")
    splices: list[Splice] = Field(description="In order, not overlapping; empty: no change.")


def _same(a: Diagnostic, b: Diagnostic) -> bool:
    return a is b or a == b


def splices(before: Sequence[Diagnostic], after: Sequence[Diagnostic]) -> list[Splice]:
    """Splices, in order and not overlapping, that turn ``before`` into ``after``.

    The common head and tail are skipped; in between, a diagnostic of ``after`` that is the
    very object of ``before`` further on anchors the two lists, and each run between anchors
    becomes one splice. Any answer is correct (``apply_splices`` gives ``after``); fewer
    anchors only make the splices larger.
    """
    end_before, end_after = len(before), len(after)
    start = 0
    while start < end_before and start < end_after and _same(before[start], after[start]):
        start += 1
    while (
        end_before > start
        and end_after > start
        and _same(before[end_before - 1], after[end_after - 1])
    ):
        end_before -= 1
        end_after -= 1
    if start == end_before and start == end_after:
        return []
    place = {id(diagnostic): i for i, diagnostic in enumerate(before[start:end_before], start)}
    out: list[Splice] = []
    old, new = start, start
    for j in range(start, end_after):
        i = place.get(id(after[j]))
        if i is None or i < old:
            continue
        if i > old or j > new:
            out.append(Splice(at=old, remove=i - old, insert=list(after[new:j])))
        old, new = i + 1, j + 1
    if old < end_before or new < end_after:
        out.append(Splice(at=old, remove=end_before - old, insert=list(after[new:end_after])))
    return out


def apply_splices(before: Sequence[Diagnostic], changes: Sequence[Splice]) -> list[Diagnostic]:
    """``before`` with ``changes`` applied (what the UI does, web/src/model/diagnostic-list.ts)."""
    out: list[Diagnostic] = []
    done = 0
    for change in changes:
        out.extend(before[done : change.at])
        out.extend(change.insert)
        done = change.at + change.remove
    out.extend(before[done:])
    return out


def counts_after(
    counts: ProblemCounts, before: Sequence[Diagnostic], changes: Sequence[Splice]
) -> ProblemCounts:
    """The problem counts of ``before`` with ``changes`` applied, from ``counts`` of ``before``."""
    tally = {
        Severity.ERROR: counts.error,
        Severity.WARNING: counts.warning,
        Severity.INFO: counts.info,
    }
    for change in changes:
        for gone in before[change.at : change.at + change.remove]:
            tally[gone.severity] -= 1
        for come in change.insert:
            tally[come.severity] += 1
    return ProblemCounts(
        error=tally[Severity.ERROR], warning=tally[Severity.WARNING], info=tally[Severity.INFO]
    )
