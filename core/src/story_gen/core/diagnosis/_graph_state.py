"""The prerequisite graph's cycle findings, re-analysed only when an edit can change them.

The analysis itself (cycles, blocked chapters, reachability) is :mod:`._cycles`; this module
decides, after one chapter's edit, whether it must run again. It need not when the graph had
no cycle and the edit provably adds none: then any new cycle would run through the edited
chapter, so it is enough to check whether that chapter now reaches itself.
"""

from __future__ import annotations

from story_gen.core.diagnosis._cycles import CycleFinding, Owners, graph_findings, reaches
from story_gen.core.diagnosis._entity import Facts

__all__ = ["GraphState"]


class GraphState:
    """The cycle findings per chapter index (empty while the graph is acyclic).

    Shares the session's chapter facts and the reference index's chapter owners (it reads
    them, never writes them): update both first, then call :meth:`follow`.
    """

    __slots__ = ("_chapters", "_owners", "findings")

    findings: dict[int, tuple[CycleFinding, ...]]

    def __init__(self, chapters: list[Facts], owners: Owners) -> None:
        self._chapters = chapters
        self._owners = owners
        self.findings = graph_findings(chapters, owners)

    def follow(
        self, index: int, old: Facts | None, new: Facts | None, added_prerequisites: set[str]
    ) -> set[int]:
        """Chapter ``index`` changed its key or prerequisites (``old`` / ``new`` None: it was
        appended / it was the last and is gone); the chapters whose findings changed."""
        if self._still_acyclic(index, old, new, added_prerequisites):
            return set()
        before = self.findings
        self.findings = graph_findings(self._chapters, self._owners)
        return {
            i for i in before.keys() | self.findings.keys() if before.get(i) != self.findings.get(i)
        }

    def _still_acyclic(
        self, index: int, old: Facts | None, new: Facts | None, added: set[str]
    ) -> bool:
        """True when the graph had no cycle and this edit provably adds none.

        Covers edits to one chapter that change only edges touching it (its
        prerequisites, its key, its key becoming valid or invalid). Edits that hand a key
        over to another chapter (duplicates) take the full analysis.
        """
        if self.findings or old is None or new is None:
            return False
        owners = self._owners
        if old.key != new.key and old.key is not None and old.key in owners:
            return False  # another chapter takes the old key over, with its own edges
        if new.key is None:
            return True  # the chapter left the graph: edges only disappeared
        holders = owners[new.key]
        if holders[0] != index:
            return True  # a later duplicate: outside the graph, before and after
        if len(holders) > 1:
            return False  # it displaced the chapter that held this key
        if old.key == new.key:
            starts = [owners[key][0] for key in added if key in owners]
        else:
            starts = [index]
        return not reaches(self._chapters, owners, starts, index)
