"""Random writer's edits (``story_gen.core.edits`` calls) and an independent oracle for them.

:func:`writer_edits` draws one edit against the current blueprint: mostly valid, sometimes
naming a missing key, a taken key, an invalid key or a position past the end, so refusals are
exercised too. :func:`oracle` says what the edit should do, written the plain way (edit the
JSON, validate it whole), or None when the edit must be refused.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from story_gen.core import StoryBlueprint, edits
from story_gen.core.blueprint import Key, Text

__all__ = ["WriterEdit", "oracle", "run", "writer_edits"]

COLLECTION = {"theme": "themes", "character": "characters", "chapter": "chapters"}
SCALARS = {
    "theme": ("statement", "priority"),
    "character": ("role", "motivation"),
    "chapter": ("title", "objective", "draft_text"),
}
LISTS: dict[str | None, tuple[str, ...]] = {
    None: ("canon_rules",),
    "character": ("voice_markers",),
    "chapter": ("required_themes", "participating_characters", "prerequisites"),
}
TARGET = {
    "required_themes": "theme",
    "participating_characters": "character",
    "prerequisites": "chapter",
}
KEY_LISTS = set(TARGET)
REFERRING = {
    "theme": (("chapters", "required_themes"),),
    "character": (("chapters", "participating_characters"), ("characters", "relationships")),
    "chapter": (("chapters", "prerequisites"),),
}
SPARE_KEYS = ["alpha", "beta", "Gamma ", "hope", "fear", "ann", "bob", "ch1", "ch2", "x"]
BAD_KEYS = ["", "9lives", "two words", "é"]
WORDS = ["hook", "storm", " pad ", "", "Rule one", "quiet", "x\u0085", "a"]

_TEXT: TypeAdapter[str] = TypeAdapter(Text)
_KEY: TypeAdapter[str] = TypeAdapter(Key)


@dataclass(frozen=True)
class WriterEdit:
    name: str
    args: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.name}({', '.join(f'{k}={v!r}' for k, v in self.args.items())})"


def _keys(bp: StoryBlueprint, kind: str) -> list[str]:
    return [entity.key for entity in getattr(bp, COLLECTION[kind])]


@st.composite
def writer_edits(draw: st.DrawFn, bp: StoryBlueprint) -> WriterEdit:
    kind = draw(st.sampled_from(list(COLLECTION)))
    present = _keys(bp, kind)
    any_key = st.sampled_from(present + SPARE_KEYS) if present else st.sampled_from(SPARE_KEYS)
    often = draw(st.integers(0, 9)) > 0
    key = draw(st.sampled_from(present)) if present and often else draw(any_key)
    new_key = (
        draw(st.one_of(any_key, st.sampled_from(BAD_KEYS)))
        if draw(st.integers(0, 5)) == 0
        else draw(st.sampled_from(SPARE_KEYS + present))
    )
    word = draw(st.sampled_from(WORDS))
    n = len(present)
    index = draw(st.integers(-1, n + 1))
    name = draw(
        st.sampled_from(
            [
                "rename_key",
                "set_field",
                "add_entity",
                "remove_entity",
                "move_entity",
                "rename_key",
                "rename_key",
                "add_item",
                "set_item",
                "remove_item",
                "move_item",
                "set_list",
                "set_relationship",
                "remove_relationship",
                "set_premise",
            ]
        )
    )
    if name == "set_premise":
        return WriterEdit(name, {"text": word})
    if name == "set_field":
        fld = draw(st.sampled_from(SCALARS[kind]))
        value: Any = draw(st.integers(0, 11)) if fld == "priority" else word
        return WriterEdit(name, {"kind": kind, "key": key, "field": fld, "value": value})
    if name == "add_entity":
        entity: dict[str, Any] = {"key": new_key}
        if kind == "chapter":
            refs = draw(st.lists(st.sampled_from(SPARE_KEYS + present), max_size=2))
            entity |= {"prerequisites": refs, "draft_text": word}
        return WriterEdit(
            name, {"kind": kind, "entity": entity, "index": None if index < 0 else index}
        )
    if name == "remove_entity":
        return WriterEdit(
            name, {"kind": kind, "key": key, "remove_references": draw(st.booleans())}
        )
    if name == "move_entity":
        return WriterEdit(name, {"kind": kind, "key": key, "to_index": index})
    if name == "rename_key":
        return WriterEdit(name, {"kind": kind, "old": key, "new": new_key})
    if name in ("set_relationship", "remove_relationship"):
        characters = _keys(bp, "character")
        pool = characters + SPARE_KEYS[:3]
        holder = draw(st.sampled_from(characters if characters and often else pool))
        related = next((list(c.relationships) for c in bp.characters if c.key == holder), [])
        args = {
            "character": holder,
            "other": draw(
                st.sampled_from(related if related and draw(st.booleans()) > 0 else pool)
            ),
        }
        if name == "set_relationship":
            args["description"] = word
        return WriterEdit(name, args)
    owner_kind = draw(st.sampled_from(list(LISTS)))
    fld = draw(st.sampled_from(LISTS[owner_kind]))
    owner = (
        None
        if owner_kind is None
        else (
            owner_kind,
            draw(any_key)
            if _keys(bp, owner_kind) == []
            else draw(st.sampled_from(_keys(bp, owner_kind))),
        )
    )
    target = TARGET.get(fld)
    named = (
        st.sampled_from(_keys(bp, target) + SPARE_KEYS[:4]) if target else st.sampled_from(WORDS)
    )
    item = draw(named)
    if owner is None:
        length = len(bp.canon_rules)
    else:
        holders = [e for e in getattr(bp, COLLECTION[owner[0]]) if e.key == owner[1]]
        length = len(getattr(holders[0], fld)) if holders else 0
    pos = draw(
        st.integers(0, length - 1)
        if length and draw(st.integers(0, 4))
        else st.integers(-1, length + 1)
    )
    if name == "add_item":
        return WriterEdit(
            name, {"field": fld, "value": item, "owner": owner, "index": None if pos < 0 else pos}
        )
    if name == "set_item":
        return WriterEdit(name, {"field": fld, "index": pos, "value": item, "owner": owner})
    if name == "remove_item":
        return WriterEdit(name, {"field": fld, "index": pos, "owner": owner})
    if name == "move_item":
        return WriterEdit(
            name,
            {
                "field": fld,
                "from_index": pos,
                "to_index": draw(st.integers(0, length)),
                "owner": owner,
            },
        )
    values = draw(st.lists(named, max_size=3))
    return WriterEdit("set_list", {"field": fld, "values": values, "owner": owner})


def run(bp: StoryBlueprint, edit: WriterEdit) -> edits.Edit:
    """What ``edits`` makes of ``edit`` (raises EditRejectedError when refused)."""
    args = dict(edit.args)
    name = edit.name
    if name == "set_premise":
        return edits.set_premise(bp, args["text"])
    if name == "add_item":
        return edits.add_item(
            bp, args["field"], args["value"], owner=args["owner"], index=args["index"]
        )
    if name == "set_item":
        return edits.set_item(bp, args["field"], args["index"], args["value"], owner=args["owner"])
    if name == "remove_item":
        return edits.remove_item(bp, args["field"], args["index"], owner=args["owner"])
    if name == "move_item":
        return edits.move_item(
            bp, args["field"], args["from_index"], args["to_index"], owner=args["owner"]
        )
    if name == "set_list":
        return edits.set_list(bp, args["field"], args["values"], owner=args["owner"])
    result = getattr(edits, edit.name)(bp, **args)
    assert isinstance(result, edits.Edit)
    return result


# ---------------------------------------------------------------- the oracle


class _RefusedError(Exception):
    pass


def _find(doc: dict[str, Any], kind: str, key: str) -> int:
    for i, entity in enumerate(doc[COLLECTION[kind]]):
        if entity["key"] == key.strip().lower():
            return i
    raise _RefusedError


def _key(raw: str) -> str:
    try:
        return _KEY.validate_python(raw)
    except ValidationError:
        raise _RefusedError from None


def _at(index: int, length: int, *, inserting: bool = False) -> None:
    if not 0 <= index <= (length if inserting else length - 1):
        raise _RefusedError


def _rewrite(doc: dict[str, Any], kind: str, old: str, new: str | None) -> None:
    for collection, fld in REFERRING[kind]:
        for owner in doc[collection]:
            value = owner[fld]
            if old not in value:
                continue
            if isinstance(value, dict):
                if new is None:
                    owner[fld] = {k: v for k, v in value.items() if k != old}
                else:
                    owner[fld] = {(new if k == old else k): v for k, v in value.items() if k != new}
            else:
                out: list[str] = []
                for k in value:
                    k = new if k == old else k
                    if k is not None and k not in out:
                        out.append(k)
                owner[fld] = out


def _item(value: str, fld: str) -> str:
    if fld in KEY_LISTS:
        return _key(value)
    text = _TEXT.validate_python(value)
    if not text:
        raise _RefusedError
    return text


def _list_edit(doc: dict[str, Any], name: str, args: dict[str, Any]) -> None:
    owner = args["owner"]
    holder = doc if owner is None else doc[COLLECTION[owner[0]]][_find(doc, *owner)]
    items: list[str] = holder[args["field"]]
    fld = args["field"]
    if name == "add_item":
        item = _item(args["value"], fld)
        if item in items:
            raise _RefusedError
        index = len(items) if args["index"] is None else args["index"]
        _at(index, len(items), inserting=True)
        items.insert(index, item)
    elif name == "set_item":
        _at(args["index"], len(items))
        item = _item(args["value"], fld)
        if any(t == item and i != args["index"] for i, t in enumerate(items)):
            raise _RefusedError
        items[args["index"]] = item
    elif name == "remove_item":
        _at(args["index"], len(items))
        del items[args["index"]]
    elif name == "move_item":
        _at(args["from_index"], len(items))
        _at(args["to_index"], len(items))
        items.insert(args["to_index"], items.pop(args["from_index"]))
    else:
        holder[fld] = list(dict.fromkeys(_item(v, fld) for v in args["values"]))


def oracle(bp: StoryBlueprint, edit: WriterEdit) -> StoryBlueprint | None:
    """What ``edit`` should make of ``bp``; None when it must be refused."""
    doc = copy.deepcopy(bp.model_dump(mode="json"))
    a = edit.args
    try:
        if edit.name == "set_premise":
            doc["premise"] = a["text"]
        elif edit.name == "set_field":
            doc[COLLECTION[a["kind"]]][_find(doc, a["kind"], a["key"])][a["field"]] = a["value"]
        elif edit.name == "add_entity":
            items = doc[COLLECTION[a["kind"]]]
            key = _key(a["entity"]["key"])
            if any(e["key"] == key for e in items):
                raise _RefusedError
            index = len(items) if a["index"] is None else a["index"]
            _at(index, len(items), inserting=True)
            items.insert(index, a["entity"])
        elif edit.name == "remove_entity":
            removed = doc[COLLECTION[a["kind"]]].pop(_find(doc, a["kind"], a["key"]))
            if a["remove_references"]:
                _rewrite(doc, a["kind"], removed["key"], None)
        elif edit.name == "move_entity":
            items = doc[COLLECTION[a["kind"]]]
            source = _find(doc, a["kind"], a["key"])
            _at(a["to_index"], len(items))
            items.insert(a["to_index"], items.pop(source))
        elif edit.name == "rename_key":
            items = doc[COLLECTION[a["kind"]]]
            index = _find(doc, a["kind"], a["old"])
            old, new = items[index]["key"], _key(a["new"])
            if new != old:
                if any(e["key"] == new for e in items):
                    raise _RefusedError
                items[index]["key"] = new
                _rewrite(doc, a["kind"], old, new)
        elif edit.name == "set_relationship":
            holder = doc["characters"][_find(doc, "character", a["character"])]
            other = _key(a["other"])
            _find(doc, "character", other)
            holder["relationships"][other] = a["description"]
        elif edit.name == "remove_relationship":
            holder = doc["characters"][_find(doc, "character", a["character"])]
            other = a["other"].strip().lower()
            if other not in holder["relationships"]:
                raise _RefusedError
            del holder["relationships"][other]
        else:
            _list_edit(doc, edit.name, a)
        return StoryBlueprint.model_validate(doc)
    except (_RefusedError, ValidationError):
        return None
