"""Three-way merge of a stale push onto the current head, via the core."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from story_gen.core import Conflict, Story

__all__ = ["merge_onto_head"]


def merge_onto_head(
    *, base: Story, client: Story, head: Story, now: datetime
) -> tuple[Story, list[Conflict]]:
    """Merge the client's edit (made on ``base``) into ``head``; returns (merged, new conflicts).

    ``head`` is "ours" (what the server already accepted) and the client is "theirs"; the
    merged document keeps the head's value provisionally wherever both changed the same thing,
    and the conflict keeps the client's value, so nothing either side typed is lost.
    """
    if client.blueprint == base.blueprint and client.title == base.title:
        return head.model_copy(update={"updated_at_utc": now}), []
    if head.blueprint == base.blueprint and head.title == base.title:
        return client.model_copy(
            update={"created_at_utc": head.created_at_utc, "updated_at_utc": now}
        ), []
    ours = head.model_dump(mode="json", include={"title", "blueprint"})
    theirs = client.model_dump(mode="json", include={"title", "blueprint"})
    digest = hashlib.sha256(json.dumps([ours, theirs], sort_keys=True).encode()).hexdigest()
    conflict = Conflict(
        conflict_id=digest[:16],
        kind="value",
        path="",
        base=base.model_dump(mode="json", include={"title", "blueprint"}),
        ours=ours,
        theirs=theirs,
        provisional="ours",
        message="both sides changed the story since the common revision",
    )
    merged = head.model_copy(
        update={"updated_at_utc": now, "conflicts": [*head.conflicts, conflict]}
    )
    return merged, [conflict]
