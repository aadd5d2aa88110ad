"""The three-way merge of one document, field by field, as the shape table describes it.

Rules (docs/merge.md has the long form):

- a value only one side changed is taken from that side; both sides made the same
  change: taken once; both changed it differently: a conflict, and the document holds
  the provisional value chosen by :func:`ours_wins` (order-independent);
- entities are matched by key; delete vs edit keeps the edited entity and records a
  ``delete_edit`` conflict; the same new key added with different content is an
  ``add_add`` conflict;
- key lists, canon rules and voice markers are ordered sets: every addition and
  removal from either side applies; relationships merge entry by entry;
- drafts merge line by line (:mod:`._text`); order follows :mod:`._order`.

Equality is order-sensitive for maps (pydantic's ``==`` ignores dict order, the
canonical JSON does not), so that "unchanged" really means "same bytes".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, JsonValue

from story_gen.core.conflicts import Conflict, ConflictKind
from story_gen.core.document import (
    Field,
    Kind,
    Shape,
    child,
    conflict,
    lines_of,
    merge_lines,
    merge_order,
    ours_wins,
    speak,
    text_of,
    to_json,
)

__all__ = ["DocumentMerger", "same_record", "same_value"]


def same_value(field: Field, a: Any, b: Any) -> bool:
    """Equal, and in the same order wherever order is content (lists, maps' keys)."""
    if a is b:
        return True
    if field.kind is Kind.ENTITIES:
        assert field.shape is not None
        shape = field.shape
        return len(a) == len(b) and all(
            x is y or same_record(shape, x, y) for x, y in zip(a, b, strict=True)
        )
    if field.kind is Kind.INLINE:
        assert field.shape is not None
        return same_record(field.shape, a, b)
    if a != b:
        return False
    return field.kind is not Kind.MAP or list(a) == list(b)


def same_record(shape: Shape, a: BaseModel, b: BaseModel) -> bool:
    if a is b:
        return True
    if shape.flat:
        # An entity holds plain values only: comparing the field dicts is exact (the
        # models keep nothing else in __dict__) and much faster than pydantic's __eq__.
        return a.__dict__ == b.__dict__ and all(
            list(getattr(a, name)) == list(getattr(b, name)) for name in shape.maps
        )
    return all(same_value(f, getattr(a, f.name), getattr(b, f.name)) for f in shape.fields)


def _keys(entities: Sequence[Any]) -> list[str]:
    return [entity.key for entity in entities]


class DocumentMerger:
    """Merges records of one document; collects the conflicts it raises in :attr:`conflicts`."""

    def __init__(self, root: Shape) -> None:
        self.root = root
        self.conflicts: list[Conflict] = []

    def _raise(
        self,
        kind: ConflictKind,
        path: str,
        base: JsonValue,
        ours: JsonValue,
        theirs: JsonValue,
        message: str,
    ) -> bool:
        """Record a conflict; return whether our value is the provisional one."""
        item = conflict(kind, path, base, ours, theirs, message)
        self.conflicts.append(item)
        return item.provisional == "ours"

    def record(self, shape: Shape, b: BaseModel, o: BaseModel, t: BaseModel, path: str) -> Any:
        if shape.flat:
            # An entity compares whole, cheaply. A story or blueprint is compared field by
            # field below instead, which visits each entity once rather than up to four times.
            if same_record(shape, o, t) or same_record(shape, b, t):
                return o
            if same_record(shape, b, o):
                return t
        values = dict(o.__dict__)
        for field in shape.fields:
            if field.kind is Kind.CONFLICTS:
                continue  # the Story's conflict list is merged by the caller
            values[field.name] = self.value(
                field, getattr(b, field.name), getattr(o, field.name), getattr(t, field.name), path
            )
        if all(values[f.name] is getattr(o, f.name) for f in shape.fields):
            return o
        if all(values[f.name] is getattr(t, f.name) for f in shape.fields):
            return t
        return shape.model.model_validate(values)

    def value(self, field: Field, b: Any, o: Any, t: Any, path: str) -> Any:
        if o is t or b is t:
            return o
        if b is o:
            return t
        if field.kind not in (Kind.ENTITIES, Kind.INLINE):
            # (lists of entities are merged key by key in one pass, which gives the
            # changed side's list exactly when only one side changed it)
            if same_value(field, o, t) or same_value(field, b, t):
                return o
            if same_value(field, b, o):
                return t
        here = path if field.kind is Kind.INLINE else child(path, field.name)
        if field.kind is Kind.SCALAR:
            return self._scalar(field, b, o, t, here)
        if field.kind is Kind.TEXT:
            return self._text(b, o, t, here)
        if field.kind is Kind.SET:
            return self._set(b, o, t, here)
        if field.kind is Kind.MAP:
            return self._map(b, o, t, here)
        if field.kind is Kind.ENTITIES:
            assert field.shape is not None
            return self._entities(field.shape, b, o, t, here)
        if field.kind is Kind.INLINE:
            assert field.shape is not None
            return self.record(field.shape, b, o, t, path)
        raise AssertionError(f"unmerged field kind {field.kind}")  # pragma: no cover

    def _scalar(self, field: Field, b: Any, o: Any, t: Any, path: str) -> Any:
        if field.both_changed == "earliest":
            return min(o, t)
        if field.both_changed == "latest":
            return max(o, t)
        message = f"both sides changed {speak(path, self.root)}, to different values"
        keep_ours = self._raise("value", path, to_json(b), to_json(o), to_json(t), message)
        return o if keep_ours else t

    def _text(self, b: str | None, o: str | None, t: str | None, path: str) -> str | None:
        merged = merge_lines(lines_of(b), lines_of(o), lines_of(t))
        ours, theirs = text_of(merged.ours), text_of(merged.theirs)
        if ours == theirs:
            return ours
        message = (
            f"both sides rewrote the same passage of {speak(path, self.root)}; "
            "the edits that did not collide are in both versions"
        )
        return ours if self._raise("text", path, b, ours, theirs, message) else theirs

    def _set(self, b: list[str], o: list[str], t: list[str], path: str) -> list[str]:
        in_base, in_ours, in_theirs = set(b), set(o), set(t)
        members = {k for k in b if k in in_ours and k in in_theirs}
        members.update(k for k in o if k not in in_base)
        members.update(k for k in t if k not in in_base)
        order, contested = merge_order(b, o, t, members)
        if contested:
            self._order_conflict(path, b, o, t)
        return order

    def _map(self, b: dict[str, str], o: dict[str, str], t: dict[str, str], path: str) -> Any:
        merged: dict[str, str] = {}
        for key in dict.fromkeys([*b, *o, *t]):
            base, ours, theirs = b.get(key), o.get(key), t.get(key)
            if ours == theirs or base == theirs:
                value = ours
            elif base == ours:
                value = theirs
            else:
                here = f"{path}[{key}]"
                kind: ConflictKind = "add_add" if base is None else "value"
                if ours is None or theirs is None:
                    kind = "delete_edit"
                message = f"the sides disagree about {speak(here, self.root)}"
                value = ours if self._raise(kind, here, base, ours, theirs, message) else theirs
            if value is not None:
                merged[key] = value
        order, contested = merge_order(list(b), list(o), list(t), merged)
        if contested:
            self._order_conflict(path, list(b), list(o), list(t))
        return {key: merged[key] for key in order}

    def _entities(
        self, shape: Shape, b: list[Any], o: list[Any], t: list[Any], path: str
    ) -> list[Any]:
        base = {e.key: e for e in b}
        ours = {e.key: e for e in o}
        theirs = {e.key: e for e in t}
        merged: dict[str, Any] = {}
        for key in dict.fromkeys([*base, *ours, *theirs]):
            was, mine, other = base.get(key), ours.get(key), theirs.get(key)
            here = f"{path}[{key}]"
            if mine is not None and other is not None:
                if was is not None:
                    merged[key] = self.record(shape, was, mine, other, here)
                elif same_record(shape, mine, other):
                    merged[key] = mine
                else:
                    message = f"both sides added {shape.noun} `{key}`, with different content"
                    keep_ours = self._raise(
                        "add_add", here, None, to_json(mine), to_json(other), message
                    )
                    merged[key] = mine if keep_ours else other
            elif was is None:
                merged[key] = mine if mine is not None else other
            elif mine is not None or other is not None:
                survivor = mine if mine is not None else other
                assert survivor is not None
                if not same_record(shape, was, survivor):
                    message = (
                        f"{shape.noun} `{key}` was deleted on one side and edited on the other; "
                        "the edited version is kept until you choose"
                    )
                    self._raise(
                        "delete_edit",
                        here,
                        to_json(was),
                        None if mine is None else to_json(mine),
                        None if other is None else to_json(other),
                        message,
                    )
                    merged[key] = survivor
        order, contested = merge_order(_keys(b), _keys(o), _keys(t), merged)
        if contested:
            self._order_conflict(path, _keys(b), _keys(o), _keys(t))
        result = [merged[key] for key in order]
        for side in (o, t):
            if len(side) == len(result) and all(x is y for x, y in zip(side, result, strict=True)):
                return side  # unchanged list object: the caller sees "no change here"
        return result

    def _order_conflict(self, path: str, b: list[str], o: list[str], t: list[str]) -> None:
        message = f"both sides moved entries of {speak(path, self.root)} to different places"
        item = conflict("order", path, list(b), list(o), list(t), message, provisional="both")
        self.conflicts.append(item)


def merge_conflict_lists(b: list[Conflict], o: list[Conflict], t: list[Conflict]) -> list[Conflict]:
    """Unresolved conflicts of both sides: a conflict either side resolved stays resolved."""
    base = {c.conflict_id: c for c in b}
    ours = {c.conflict_id: c for c in o}
    theirs = {c.conflict_id: c for c in t}
    merged: dict[str, Conflict] = {}
    for key in dict.fromkeys([*base, *ours, *theirs]):
        mine, other = ours.get(key), theirs.get(key)
        if key in base:
            if mine is not None and other is not None:
                merged[key] = (
                    mine if mine == other or ours_wins(to_json(mine), to_json(other)) else other
                )
        elif mine is not None and other is not None:
            merged[key] = (
                mine if mine == other or ours_wins(to_json(mine), to_json(other)) else other
            )
        elif mine is not None or other is not None:
            survivor = mine if mine is not None else other
            assert survivor is not None
            merged[key] = survivor
    order, _ = merge_order(list(base), list(ours), list(theirs), merged)
    return [merged[key] for key in order]
