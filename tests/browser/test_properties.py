"""Properties over random edit sequences.

- The fast, structure-sharing ``apply_edit`` equals an independent oracle that edits the JSON
  document and validates it whole; both accept or both refuse every op.
- The session's incremental diagnostics equal a full ``diagnose()`` after every op, and so
  does the UI's list patched by each pushed delta.
- Through the service (the JSON facade, a real host): the state equals applying the same ops
  to the model directly, and the stored canonical JSON reloads to exactly that story.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from story_gen.browser._analysis import Diagnoser, diagnose_blueprint
from story_gen.browser._demos import demo_blueprint
from story_gen.browser._diagnostics_delta import apply_splices
from story_gen.browser._edits import EditOp, apply_edit, edit_of
from story_gen.browser._errors import EditRejectedError
from story_gen.browser._records import count_problems
from story_gen.core import Story, StoryBlueprint, to_canonical_json
from story_gen.core.blueprint import Key, Text

_TEXT: TypeAdapter[str] = TypeAdapter(Text)
_KEY: TypeAdapter[str] = TypeAdapter(Key)

if TYPE_CHECKING:
    from tests.browser.conftest import World

OP = TypeAdapter(EditOp)
KINDS = {"theme": "themes", "character": "characters", "chapter": "chapters"}
SCALARS = {
    "theme": ["statement", "priority"],
    "character": ["role", "motivation"],
    "chapter": ["title", "objective", "draft_text"],
}
LISTS = {
    "character": ["voice_markers"],
    "chapter": ["required_themes", "participating_characters", "prerequisites"],
}
REFS = {
    "theme": "required_themes",
    "character": "participating_characters",
    "chapter": "prerequisites",
}

words = st.sampled_from(["a", "b", "c", "hook", "Ghost", "x-1", " pad ", "", "9no", "rule"])
texts = st.one_of(words, st.text(max_size=12))
keys = st.sampled_from(["alpha", "beta", "gamma", "Alpha ", "delta", "bad key", "z"])


class RejectedError(Exception):
    pass


# ---------------------------------------------------------------- the oracle


def _norm(key: str) -> str:
    return key.strip().lower()


def _key(key: str) -> str:
    try:
        return _KEY.validate_python(key)
    except ValidationError:
        raise RejectedError from None


def _find(doc: dict[str, Any], kind: str, key: str) -> int:
    for index, entity in enumerate(doc[KINDS[kind]]):
        if entity["key"] == _norm(key):
            return index
    raise RejectedError


def _text(value: str, items: list[str], except_index: int | None) -> str:
    text = _TEXT.validate_python(value)
    if not text or any(t == text and i != except_index for i, t in enumerate(items)):
        raise RejectedError
    return text


def _index(index: int, length: int, inserting: bool = False) -> None:
    if not 0 <= index <= (length if inserting else length - 1):
        raise RejectedError


def _move(items: list[Any], src: int, dst: int) -> None:
    _index(src, len(items))
    _index(dst, len(items))
    items.insert(dst, items.pop(src))


def _rewrite(doc: dict[str, Any], kind: str, old: str, new: str | None) -> None:
    field = REFS[kind]
    for chapter in doc["chapters"]:
        out: list[str] = []
        for value in chapter[field]:
            value = new if value == old else value
            if value is not None and value not in out:
                out.append(value)
        chapter[field] = out
    if kind == "character":
        for character in doc["characters"]:
            rel = character["relationships"]
            if old in rel:
                character["relationships"] = {
                    (new if k == old else k): v for k, v in rel.items() if k != old or new
                }


def oracle(bp: StoryBlueprint, op: dict[str, Any]) -> StoryBlueprint:
    doc = bp.model_dump(mode="json")
    name = op["op"]
    if name == "set_premise":
        doc["premise"] = op["value"]
    elif name == "set_field":
        if op["field"] not in SCALARS[op["kind"]]:
            raise RejectedError
        doc[KINDS[op["kind"]]][_find(doc, op["kind"], op["key"])][op["field"]] = op["value"]
    elif name in ("add_canon_rule", "set_canon_rule", "remove_canon_rule", "move_canon_rule"):
        _list_op(doc["canon_rules"], name.removesuffix("_canon_rule"), op)
    elif name.endswith("_voice_marker"):
        character = doc["characters"][_find(doc, "character", op["character"])]
        _list_op(character["voice_markers"], name.removesuffix("_voice_marker"), op)
    elif name == "add_entity":
        model = {"theme": "Theme", "character": "Character", "chapter": "Chapter"}[op["kind"]]
        try:
            entity = getattr(__import__("story_gen.core", fromlist=[model]), model).model_validate(
                op["entity"]
            )
        except ValidationError:
            raise RejectedError from None
        items = doc[KINDS[op["kind"]]]
        if any(e["key"] == entity.key for e in items):
            raise RejectedError
        index = len(items) if op.get("index") is None else op["index"]
        _index(index, len(items), inserting=True)
        items.insert(index, entity.model_dump(mode="json"))
    elif name == "remove_entity":
        index = _find(doc, op["kind"], op["key"])
        removed = doc[KINDS[op["kind"]]].pop(index)
        if op.get("remove_references"):
            _rewrite(doc, op["kind"], removed["key"], None)
    elif name == "move_entity":
        _move(doc[KINDS[op["kind"]]], _find(doc, op["kind"], op["key"]), op["to_index"])
    elif name == "set_list":
        if op["field"] not in LISTS[op["kind"]]:
            raise RejectedError
        if op["field"] == "voice_markers" and any(
            not _TEXT.validate_python(v) for v in op["value"]
        ):
            raise RejectedError
        doc[KINDS[op["kind"]]][_find(doc, op["kind"], op["key"])][op["field"]] = op["value"]
    elif name == "set_relationship":
        other = _key(op["other"])
        _find(doc, "character", other)
        character = doc["characters"][_find(doc, "character", op["character"])]
        character["relationships"][other] = op["description"]
    elif name == "remove_relationship":
        character = doc["characters"][_find(doc, "character", op["character"])]
        if _norm(op["other"]) not in character["relationships"]:
            raise RejectedError
        del character["relationships"][_norm(op["other"])]
    elif name == "rename_key":
        index = _find(doc, op["kind"], op["old_key"])
        old, new = doc[KINDS[op["kind"]]][index]["key"], _key(op["new_key"])
        if new != old:
            if any(e["key"] == new for e in doc[KINDS[op["kind"]]]):
                raise RejectedError
            doc[KINDS[op["kind"]]][index]["key"] = new
            _rewrite(doc, op["kind"], old, new)
    try:
        return StoryBlueprint.model_validate(doc)
    except ValidationError:
        raise RejectedError from None


def _list_op(items: list[str], verb: str, op: dict[str, Any]) -> None:
    if verb == "add":
        text = _text(op["value"], items, None)
        index = len(items) if op.get("index") is None else op["index"]
        _index(index, len(items), inserting=True)
        items.insert(index, text)
    elif verb == "set":
        _index(op["index"], len(items))
        items[op["index"]] = _text(op["value"], items, op["index"])
    elif verb == "remove":
        _index(op["index"], len(items))
        del items[op["index"]]
    else:
        _move(items, op["from_index"], op["to_index"])


# ---------------------------------------------------------------- random ops


@st.composite
def ops(draw: st.DrawFn, bp: StoryBlueprint) -> dict[str, Any]:
    kind = draw(st.sampled_from(list(KINDS)))
    existing: list[str] = [e.key for e in getattr(bp, KINDS[kind])]
    pick_existing = bool(existing) and draw(st.booleans())
    key = draw(st.sampled_from(existing)) if pick_existing else draw(keys)
    characters = [c.key for c in bp.characters] or ["alpha"]
    character = draw(st.sampled_from(characters)) if draw(st.booleans()) else draw(keys)
    index = draw(st.integers(-1, 5))
    name = draw(
        st.sampled_from(
            [
                "set_premise",
                "set_field",
                "add_canon_rule",
                "set_canon_rule",
                "remove_canon_rule",
                "move_canon_rule",
                "add_voice_marker",
                "set_voice_marker",
                "remove_voice_marker",
                "move_voice_marker",
                "add_entity",
                "remove_entity",
                "move_entity",
                "set_list",
                "set_relationship",
                "remove_relationship",
                "rename_key",
            ]
        )
    )
    op: dict[str, Any] = {"op": name}
    if name == "set_premise":
        op["value"] = draw(texts)
    elif name == "set_field":
        field = draw(st.sampled_from([*SCALARS[kind], "key"]))
        value = (
            draw(st.integers(0, 11)) if field == "priority" else draw(st.one_of(texts, st.none()))
        )
        op |= {"kind": kind, "key": key, "field": field, "value": value}
    elif name.endswith(("_canon_rule", "_voice_marker")):
        if name.endswith("_voice_marker"):
            op["character"] = character
        verb = name.split("_", 1)[0]
        if verb == "add":
            op |= {"value": draw(texts), "index": draw(st.one_of(st.none(), st.integers(-1, 4)))}
        elif verb == "set":
            op |= {"index": index, "value": draw(texts)}
        elif verb == "remove":
            op["index"] = index
        else:
            op |= {"from_index": index, "to_index": draw(st.integers(-1, 5))}
    elif name == "add_entity":
        entity: dict[str, Any] = {"key": draw(keys)}
        if kind == "chapter":
            entity["prerequisites"] = draw(st.lists(keys, max_size=2))
            entity["required_themes"] = draw(st.lists(keys, max_size=2))
        if kind == "theme":
            entity["priority"] = draw(st.integers(0, 11))
        op |= {
            "kind": kind,
            "entity": entity,
            "index": draw(st.one_of(st.none(), st.integers(-1, 4))),
        }
    elif name == "remove_entity":
        op |= {"kind": kind, "key": key, "remove_references": draw(st.booleans())}
    elif name == "move_entity":
        op |= {"kind": kind, "key": key, "to_index": index}
    elif name == "set_list":
        list_kind = draw(st.sampled_from(list(LISTS)))
        list_keys = [e.key for e in getattr(bp, KINDS[list_kind])] or ["alpha"]
        field = draw(st.sampled_from([*LISTS[list_kind], "premise"]))
        items: list[str] = draw(
            st.lists(st.one_of(keys, st.sampled_from(existing or ["alpha"])), max_size=3)
        )
        if field == "voice_markers":
            items = draw(st.lists(texts, max_size=3))
        op |= {
            "kind": list_kind,
            "key": draw(st.sampled_from(list_keys)),
            "field": field,
            "value": items,
        }
    elif name in ("set_relationship", "remove_relationship"):
        op |= {"character": character, "other": draw(st.sampled_from(characters))}
        if name == "set_relationship":
            op["description"] = draw(texts)
    else:
        op |= {"kind": kind, "old_key": key, "new_key": draw(keys)}
    return op


def _start() -> StoryBlueprint:
    return StoryBlueprint.model_validate(
        {
            "premise": "p",
            "canon_rules": ["one", "two"],
            "themes": [{"key": "alpha"}, {"key": "beta", "priority": 3}],
            "characters": [
                {"key": "alpha", "voice_markers": ["hm"], "relationships": {"beta": "rival"}},
                {"key": "beta"},
            ],
            "chapters": [
                {
                    "key": "alpha",
                    "required_themes": ["alpha"],
                    "participating_characters": ["alpha"],
                },
                {
                    "key": "beta",
                    "prerequisites": ["alpha", "gamma"],
                    "participating_characters": ["beta"],
                },
            ],
        }
    )


@settings(max_examples=150)
@given(st.data())
def test_apply_edit_equals_the_oracle_and_diagnostics_stay_exact(data: st.DataObject) -> None:
    bp = _start()
    history = [bp]
    followed = Diagnoser(bp)  # follows each edit's touched entities, as the studio's edits do
    diffed = Diagnoser(bp)  # catches up by a diff, as undo, redo and merges do
    for _ in range(data.draw(st.integers(1, 12))):
        raw = data.draw(ops(bp))
        op = OP.validate_python(raw)
        try:
            expected: StoryBlueprint | None = oracle(bp, copy.deepcopy(raw))
        except RejectedError:
            expected = None
        try:
            edit = edit_of(bp, op)
        except EditRejectedError:
            edit = None
        assert (edit is None) == (expected is None), (raw, edit, expected)
        if edit is None or expected is None:
            continue
        got = edit.document
        assert got.model_dump() == expected.model_dump(), raw
        # The fast path yields a blueprint that is exactly what validation would give.
        assert StoryBlueprint.model_validate(got.model_dump()) == got
        followed.follow(bp, edit)
        bp = got
        history.append(bp)
        assert followed.diagnose(bp) == diagnose_blueprint(bp), raw
        # Undo / redo jump to any earlier blueprint.
        jump = data.draw(st.sampled_from(history))
        assert diffed.diagnose(jump) == diagnose_blueprint(jump), raw
        assert diffed.diagnose(bp) == diagnose_blueprint(bp), raw


@settings(
    max_examples=25,
    # One world serves every example (each example makes its own story and tab in it).
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(st.data())
def test_the_service_state_is_the_model_with_the_ops_applied(
    world: World, data: st.DataObject
) -> None:
    async def create() -> tuple[Any, str]:
        tab = world.tab()
        await tab.studio.host.open()
        state = await tab.call("story.create", title="Property")
        return tab, state["story_id"]

    tab, story_id = world.run(create())
    expected = StoryBlueprint()
    applied = demo_blueprint("a-christmas-carol")  # a second, bigger document to edit
    raw_ops = [data.draw(ops(expected if i % 2 else applied)) for i in range(6)]

    async def body() -> None:
        nonlocal expected
        state: dict[str, Any] | None = None
        for raw in raw_ops:
            try:
                want = apply_edit(expected, OP.validate_python(raw))
            except EditRejectedError:
                want = None
            reply = await tab.request(
                "story.apply_edit", story_id=story_id, base_revision=0, op=raw
            )
            if want is None:
                assert reply["error"]["type"] == "edit.invalid"
                continue
            state = reply["result"]
            expected = want
            assert state is not None
            assert state["story"]["blueprint"] == json.loads(expected.model_dump_json())
        stored = await world.stored_story(story_id)
        assert stored is not None
        story = Story.model_validate_json(stored["story_json"])
        assert story.blueprint == expected
        assert to_canonical_json(story) == stored["story_json"]
        if state is not None:
            assert stored["summary"]["revision"] == state["revision"]
            assert state["diagnostics"] == [
                d.model_dump(mode="json") for d in diagnose_blueprint(expected)
            ]

    world.run(body())


@settings(max_examples=150)
@given(st.data())
def test_the_pushed_delta_applied_to_the_ui_list_equals_a_full_diagnose(
    data: st.DataObject,
) -> None:
    """What the UI holds, patched by each typed edit's delta (or replaced by a whole list, as
    a reply gives it), is always a full ``diagnose()``, with the counts to match."""
    bp = _start()
    diagnoser = Diagnoser(bp)
    held = diagnoser.sent(bp)
    version = diagnoser.version
    history = [bp]
    for _ in range(data.draw(st.integers(1, 12))):
        raw = data.draw(ops(bp))
        try:
            edit = edit_of(bp, OP.validate_python(raw))
        except EditRejectedError:
            continue
        diagnoser.follow(bp, edit)
        bp = edit.document
        history.append(bp)
        if data.draw(st.booleans()):  # undo / redo: the diagnoser catches up by a diff
            bp = data.draw(st.sampled_from(history))
        if data.draw(st.integers(0, 4)) == 0:  # a reply with the whole list
            held, version = diagnoser.sent(bp), diagnoser.version
            continue
        delta = diagnoser.delta(bp)
        assert delta is not None
        assert delta.base == version
        held, version = apply_splices(held, delta.splices), diagnoser.version
        assert held == diagnose_blueprint(bp), raw
        assert diagnoser.counts() == count_problems(held), raw
