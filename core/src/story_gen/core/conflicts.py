"""Merge conflicts that travel with a story until a writer resolves them.

A conflict is data, not an exception: the merged story always loads and holds a
deterministic provisional value at ``path``, and the conflict keeps every side's
value so nothing either writer typed is lost.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, JsonValue

__all__ = ["Conflict", "ConflictKind"]

ConflictKind = Literal["value", "text", "delete_edit", "add_add", "invariant"]


class Conflict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_serialization_defaults_required=True
    )

    conflict_id: str
    """Stable id derived from the path and the competing values (same merge -> same id)."""
    kind: ConflictKind
    path: str
    """Key-addressed location, e.g. ``chapters[mad-tea-party].objective``."""
    base: JsonValue = None
    ours: JsonValue = None
    theirs: JsonValue = None
    provisional: Literal["ours", "theirs", "base", "both"] = "ours"
    """Which value the merged document currently holds at ``path``."""
    message: str = ""
