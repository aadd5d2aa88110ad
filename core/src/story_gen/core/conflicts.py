"""Merge conflicts that travel with a story until a writer resolves them.

A conflict is data, not an exception: the merged story always loads and holds a
deterministic provisional value at ``path``, and the conflict keeps every side's
value so nothing either writer typed is lost. Conflicts are stored and synced as part
of ``Story.conflicts``; ``story_gen.core.resolve`` removes one by writing a choice.

Kinds (``path`` is key-addressed, see docs/merge.md):

- ``value``: both sides changed a scalar (``chapters[x].objective``) or a relationship
  (``characters[a].relationships[b]``) to different values.
- ``text``: both sides edited the same or neighbouring lines of a draft. ``ours`` and
  ``theirs`` are the whole merged draft with our / their version of every contested
  passage (the edits that did not collide are in both).
- ``delete_edit``: one side deleted an entity or relationship the other side edited;
  the deleting side's value is ``None`` and the document keeps the edited one.
- ``add_add``: both sides added the same key with different content.
- ``order``: both sides moved the same element to different places; ``path`` is the
  list (``chapters``, ``chapters[x].prerequisites``) and the values are each side's
  order of it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, JsonValue

__all__ = ["Conflict", "ConflictKind"]

ConflictKind = Literal["value", "text", "delete_edit", "add_add", "order"]


class Conflict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    conflict_id: str
    """Stable id derived from the kind, the path and the competing values (same merge -> same id),
    whichever side is called ours."""
    kind: ConflictKind
    path: str
    """Key-addressed location, e.g. ``chapters[mad-tea-party].objective``."""
    base: JsonValue = None
    ours: JsonValue = None
    theirs: JsonValue = None
    provisional: Literal["ours", "theirs", "both"] = "ours"
    """Which value the merged document holds at ``path`` (``both``: an order mixing the two)."""
    message: str = ""
