"""Which side of a conflict this device wrote.

A conflict's ``ours`` / ``theirs`` say where a merge found the values (on the server, ``ours``
is the account's copy and ``theirs`` the incoming change), not which device wrote them, so
"this device's value beside the other device's" is worked out from this device's own copy
before the merge: the side that, once chosen, leaves that copy unchanged at the conflict's
place is the one this device wrote.
"""

from __future__ import annotations

from typing import Literal

from story_gen.core import Conflict, Story, diff, resolve

__all__ = ["Side", "my_side"]

Side = Literal["ours", "theirs"]


def _touches(mine: Story, chosen: Story, path: str) -> bool:
    return any(
        op.path == path or op.path.startswith((path + ".", path + "["))
        for op in diff(mine, chosen).ops
        if hasattr(op, "path")
    )


def my_side(merged: Story, conflict: Conflict, mine: Story) -> Side | None:
    """The side ``mine`` (this device's copy before the merge) holds; None when neither."""
    for side in ("theirs", "ours"):
        chosen = resolve(merged, conflict.conflict_id, side)
        if not _touches(mine, chosen, conflict.path):
            return side
    return None
