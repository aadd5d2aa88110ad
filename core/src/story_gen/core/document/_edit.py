"""An editable view of a document, addressed by key paths; what resolve and apply_patch write through.

Only what is touched is copied: a one-field change of a 5,000-chapter story rebuilds
one chapter and re-checks the chapter list's instances (pydantic does not revalidate
model instances), so a patch applies in well under a millisecond per operation.
Values come in as JSON and are validated by the models when the document is built;
a value the contract refuses raises :class:`EditError` naming the path.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, JsonValue, ValidationError

from story_gen.core.conflicts import Conflict
from story_gen.core.document._paths import BadPathError, Step, child, parse_path
from story_gen.core.document._shape import Field, Kind, Shape, shape_of
from story_gen.core.document._values import to_json

__all__ = ["MISSING", "DocumentEdit", "EditError", "ItemsEdit", "MissingError", "RecordEdit"]

MISSING: Any = object()
"""What :meth:`DocumentEdit.get` returns for a path whose entity or entry does not exist."""


class EditError(ValueError):
    """A path the document does not have, or a value its contract refuses; nothing was changed.

    A malformed path (:class:`BadPathError`) and an operation on the wrong kind of field
    (a list operation on a scalar) are edit errors too: whoever applies a patch from the
    outside catches this one type and reports it, instead of failing on the others."""


class MissingError(EditError):
    """The path is well formed, but its entity or entry does not exist (now)."""


_LISTS = (Kind.SET, Kind.MAP, Kind.ENTITIES, Kind.CONFLICTS)


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


class RecordEdit:
    def __init__(self, shape: Shape, model: BaseModel, path: str) -> None:
        self.shape = shape
        self.model = model
        self.path = path
        self.changes: dict[str, Any] = {}

    def get(self, name: str) -> Any:
        return self.changes[name] if name in self.changes else getattr(self.model, name)

    def set(self, name: str, value: Any) -> None:
        self.changes[name] = value

    def items(self, field: Field) -> ItemsEdit:
        if field.kind not in _LISTS:
            raise EditError(f"{child(self.path, field.name)}: not a list")
        current = self.get(field.name)
        if not isinstance(current, ItemsEdit):
            current = ItemsEdit(field, current, child(self.path, field.name))
            self.changes[field.name] = current
        return current

    def inline(self, field: Field) -> RecordEdit:
        current = self.get(field.name)
        if not isinstance(current, RecordEdit):
            assert field.shape is not None
            current = RecordEdit(field.shape, current, self.path)
            self.changes[field.name] = current
        return current

    def build(self) -> BaseModel:
        if not self.changes:
            return self.model
        values = dict(self.model.__dict__)
        for name, value in self.changes.items():
            values[name] = value.build() if isinstance(value, RecordEdit | ItemsEdit) else value
        try:
            return self.shape.model.model_validate(values)
        except ValidationError as error:
            noun = self.shape.noun if self.path else "document"
            raise EditError(f"{self.path or noun}: {_first_error(error)}") from None


class ItemsEdit:
    """An ordered collection being edited: a set, a map, an entity list or the conflict list."""

    def __init__(self, field: Field, value: Any, path: str) -> None:
        self.field = field
        self.path = path
        self.items: dict[str, Any]
        if field.kind is Kind.SET:
            self.items = {item: item for item in value}
        elif field.kind is Kind.MAP:
            self.items = dict(value)
        elif field.kind is Kind.ENTITIES:
            self.items = {entity.key: entity for entity in value}
        else:
            self.items = {c.conflict_id: c for c in value}
        self.order: list[str] = list(self.items)

    def __contains__(self, key: str) -> bool:
        return key in self.items

    def before(self, key: str) -> str | None:
        index = self.order.index(key)
        return self.order[index - 1] if index else None

    def value(self, key: str) -> JsonValue:
        item = self.items[key]
        if isinstance(item, RecordEdit):
            item = item.build()
        return to_json(item)

    def record(self, key: str) -> RecordEdit | None:
        """The entity ``key`` as an editable record (None when the list has no such key)."""
        item = self.items.get(key)
        if item is None or isinstance(item, RecordEdit):
            return item
        assert self.field.shape is not None
        if not isinstance(item, BaseModel):
            item = self._entity(key, item)
        record = RecordEdit(self.field.shape, item, f"{self.path}[{key}]")
        self.items[key] = record
        return record

    def _entity(self, key: str, raw: Any) -> BaseModel:
        assert self.field.shape is not None
        try:
            entity = self.field.shape.model.model_validate(raw)
        except ValidationError as error:
            raise EditError(f"{self.path}[{key}]: {_first_error(error)}") from None
        if getattr(entity, "key", key) != key:
            raise EditError(
                f"{self.path}[{key}]: the value's key is {getattr(entity, 'key', None)!r}; "
                f"it must be {key!r}"
            )
        return entity

    def put(self, key: str, value: Any, after: str | object | None = MISSING) -> None:
        """Set ``key``'s value; a new key goes after ``after`` (default: at the end)."""
        if self.field.kind is Kind.SET:
            value = key
        elif self.field.kind is Kind.ENTITIES:
            value = self._entity(key, value)
        elif self.field.kind is Kind.CONFLICTS:
            try:
                value = Conflict.model_validate(value)
            except ValidationError as error:
                raise EditError(f"{self.path}[{key}]: {_first_error(error)}") from None
        if key in self.items:
            self.items[key] = value
            return
        self.items[key] = value
        self.order.append(key)
        if after is not MISSING:
            self.move(key, after if isinstance(after, str) else None)

    def remove(self, key: str) -> None:
        if key in self.items:
            del self.items[key]
            self.order.remove(key)

    def move(self, key: str, after: str | None) -> None:
        """Put ``key`` right after ``after`` (None: first; an absent ``after``: last)."""
        self.order.remove(key)
        if after is None:
            self.order.insert(0, key)
        elif after in self.items and after != key:
            self.order.insert(self.order.index(after) + 1, key)
        else:
            self.order.append(key)

    def reorder(self, wanted: list[str]) -> None:
        """Follow ``wanted``; elements it does not list stay right after their predecessor."""
        present = [key for key in dict.fromkeys(wanted) if key in self.items]
        placed = set(present)
        out = list(present)
        for index, key in enumerate(self.order):
            if key in placed:
                continue
            before = next((k for k in reversed(self.order[:index]) if k in placed), None)
            out.insert(out.index(before) + 1 if before is not None else 0, key)
            placed.add(key)
        self.order = out

    def build(self) -> Any:
        kind = self.field.kind
        if kind is Kind.SET:
            return list(self.order)
        if kind is Kind.MAP:
            return {key: self.items[key] for key in self.order}
        if kind is Kind.CONFLICTS:
            return [self.items[key] for key in self.order]
        out = []
        for key in self.order:
            item = self.items[key]
            out.append(item.build() if isinstance(item, RecordEdit) else item)
        return out


class DocumentEdit:
    """A Story or StoryBlueprint being edited through key paths."""

    def __init__(self, document: BaseModel) -> None:
        self.shape = shape_of(document)
        self.root = RecordEdit(self.shape, document, "")

    def _field(self, record: RecordEdit, step: Step, path: str) -> tuple[RecordEdit, Field]:
        found = record.shape.find(step.name)
        if found is None:
            where = f"a {record.shape.noun}" if record.path else f"a {self.shape.noun}"
            raise EditError(f"{path}: {where} has no field {step.name!r}")
        field, inlines = found
        for inline in inlines:
            record = record.inline(inline)
        return record, field

    def locate(self, path: str, *, create: bool = False) -> tuple[RecordEdit, Field, str | None]:
        """The record holding the path's last step, that step's field and key.

        With ``create``, a missing entity on the way is created with only its key (the
        rebase of a patch onto a document that lost the entity needs somewhere to write).
        """
        try:
            steps = parse_path(path)
        except BadPathError as error:
            raise EditError(str(error)) from None
        if not steps:
            raise EditError("the empty path names the whole document, not a value in it")
        record = self.root
        for step in steps[:-1]:
            record, field = self._field(record, step, path)
            if step.key is None or field.kind is not Kind.ENTITIES:
                raise EditError(f"{path}: `{step.name}` does not hold entities addressed by key")
            items = record.items(field)
            found = items.record(step.key)
            if found is None:
                if not create:
                    raise MissingError(f"{path}: there is no {field.noun} `{step.key}`")
                items.put(step.key, {"key": step.key})
                found = items.record(step.key)
                assert found is not None
            record = found
        record, field = self._field(record, steps[-1], path)
        return record, field, steps[-1].key

    def items(self, path: str) -> ItemsEdit:
        record, field, key = self.locate(path)
        if key is not None or field.kind in (Kind.SCALAR, Kind.TEXT, Kind.INLINE):
            raise EditError(f"{path}: not a list")
        return record.items(field)

    def get(self, path: str) -> Any:
        """The JSON value at ``path``; :data:`MISSING` when its entity or entry does not exist."""
        try:
            record, field, key = self.locate(path)
        except MissingError:
            return MISSING
        if key is None:
            value = record.get(field.name)
            if isinstance(value, RecordEdit | ItemsEdit):
                value = value.build()
            return to_json(value)
        if field.kind in (Kind.SCALAR, Kind.TEXT, Kind.INLINE, Kind.SET):
            raise EditError(f"{path}: `{field.name}` does not hold entries addressed by key")
        items = record.items(field)
        return items.value(key) if key in items else MISSING

    def set(self, path: str, value: Any, *, create: bool = False) -> None:
        """Write ``value`` at ``path``; for an entity or relationship, None deletes it."""
        record, field, key = self.locate(path, create=create)
        if key is None:
            if field.kind not in (Kind.SCALAR, Kind.TEXT):
                raise EditError(f"{path}: is a list; change its elements instead")
            record.set(field.name, value)
            return
        if field.kind not in (Kind.MAP, Kind.ENTITIES, Kind.CONFLICTS):
            raise EditError(f"{path}: `{field.name}` does not hold entries addressed by key")
        items = record.items(field)
        if value is None:
            items.remove(key)
        else:
            items.put(key, value)

    def build(self) -> Any:
        return self.root.build()
