"""Values as conflicts and patches hold them (JSON), and the rules that make merges symmetric.

Whenever the merge must pick one of two competing values for the document (the
*provisional* value of a conflict), it decides by the values alone, never by which
argument they came from: ``merge(b, x, y)`` and ``merge(b, y, x)`` must hold the same
document. The rule: a value beats an absence (``None``: a deleted entity, a removed
relationship), then the longer JSON wins (the more elaborate version stays visible),
then the lexicographically greater JSON.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import JsonValue
from pydantic_core import to_jsonable_python

from story_gen.core.conflicts import Conflict, ConflictKind

__all__ = ["canonical", "conflict", "ours_wins", "to_json"]


def to_json(value: Any) -> JsonValue:
    result: JsonValue = to_jsonable_python(value)
    return result


def canonical(value: JsonValue) -> str:
    """Compact JSON in the document's own key order (a map's key order is content)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def ours_wins(ours: JsonValue, theirs: JsonValue) -> bool:
    """Whether ``ours`` is the provisional value; the answer does not depend on argument order."""
    if ours is None or theirs is None:
        return theirs is None
    a, b = canonical(ours), canonical(theirs)
    return (len(a), a) > (len(b), b)


def conflict(
    kind: ConflictKind,
    path: str,
    base: JsonValue,
    ours: JsonValue,
    theirs: JsonValue,
    message: str,
    provisional: Literal["ours", "theirs", "both"] | None = None,
) -> Conflict:
    """A conflict whose id depends on what competes, not on which side is called ours."""
    if provisional is None:
        provisional = "ours" if ours_wins(ours, theirs) else "theirs"
    sides = sorted([canonical(ours), canonical(theirs)])
    digest = hashlib.sha256(canonical([kind, path, base, *sides]).encode()).hexdigest()
    return Conflict(
        conflict_id=digest[:16],
        kind=kind,
        path=path,
        base=base,
        ours=ours,
        theirs=theirs,
        provisional=provisional,
        message=message,
    )
