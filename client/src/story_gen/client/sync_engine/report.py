"""What one answer changed on this device, for the caller to show or act on."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from story_gen.core import Conflict, Diagnostic

__all__ = ["Rejection", "SyncReport"]


@dataclass(frozen=True)
class Rejection:
    story_id: uuid.UUID
    change_id: uuid.UUID
    diagnostics: list[Diagnostic]


@dataclass
class SyncReport:
    changed: set[uuid.UUID] = field(default_factory=set)
    """Stories whose local copy changed (write them out)."""
    conflicts: dict[uuid.UUID, list[Conflict]] = field(default_factory=dict)
    """Conflicts raised by merges during this answer, per story."""
    rejected: list[Rejection] = field(default_factory=list)
    removed: set[uuid.UUID] = field(default_factory=set)
    """Deleted on the server and not edited here: gone from this device."""
    revived: set[uuid.UUID] = field(default_factory=set)
    """Deleted on one side and edited on the other: the edit brought it back."""
    refetch: set[uuid.UUID] = field(default_factory=set)
    """Pulled as patches that did not give the server's document: the cursor stayed, pull
    again (they come whole)."""

    def add_conflicts(self, story_id: uuid.UUID, conflicts: list[Conflict]) -> None:
        if conflicts:
            self.conflicts.setdefault(story_id, []).extend(conflicts)
