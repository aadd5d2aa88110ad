"""Hypothesis strategies: small blueprints and stories, and random edit sequences on them.

Keys, texts and values come from small pools, so that two sides editing the same base
often touch the same entity, field or list item (sometimes with the same value, which
must merge silently). Draft lines are unique across every generated version (a base
line is ``"<word> <chapter key>.<n>"``, an inserted one carries the side's tag and the
edit's number), which lets the lost-edit checkers test line membership exactly.

An edit is a plain :class:`Edit` of selectors, interpreted against the document it is
applied to (modulo the current sizes), so sequences shrink well.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from hypothesis import strategies as st

from story_gen.core import Story, StoryBlueprint

THEME_KEYS = [f"theme-{c}" for c in "abcdef"]
CHARACTER_KEYS = [f"char-{c}" for c in "abcdef"]
CHAPTER_KEYS = [f"ch-{c}" for c in "abcdefgh"]
WORDS = ["amber", "lantern", "harbor", "willow", "ember", "frost", "meadow", "raven"]
TEXTS = ["", "A quiet start.", "The storm breaks.", "Nobody answers.", "It was a dream."]
ENTITY_LISTS = ("themes", "characters", "chapters")
KEY_POOLS = {"themes": THEME_KEYS, "characters": CHARACTER_KEYS, "chapters": CHAPTER_KEYS}
KEY_LISTS = {
    "required_themes": THEME_KEYS,
    "participating_characters": CHARACTER_KEYS,
    "prerequisites": CHAPTER_KEYS,
}
SCALARS = {
    "themes": ("statement", "priority"),
    "characters": ("role", "motivation"),
    "chapters": ("title", "objective"),
}
STORY_ID = UUID("00000000-0000-4000-8000-000000000001")
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)

Raw = dict[str, Any]


def _draft(key: str, words: list[str]) -> str | None:
    return "\n".join(f"{word} {key}.{n}" for n, word in enumerate(words)) or None


@st.composite
def raw_blueprints(draw: st.DrawFn) -> Raw:
    def subset(pool: list[str], most: int) -> list[str]:
        return draw(st.lists(st.sampled_from(pool), unique=True, max_size=most))

    themes = [
        {"key": k, "statement": draw(st.sampled_from(TEXTS)), "priority": draw(st.integers(1, 10))}
        for k in subset(THEME_KEYS, 4)
    ]
    characters = []
    for key in subset(CHARACTER_KEYS, 4):
        others = subset([k for k in CHARACTER_KEYS if k != key], 3)
        characters.append(
            {
                "key": key,
                "role": draw(st.sampled_from(WORDS)),
                "motivation": draw(st.sampled_from(TEXTS)),
                "voice_markers": subset(WORDS, 3),
                "relationships": {k: draw(st.sampled_from(WORDS)) for k in others},
            }
        )
    chapter_keys = subset(CHAPTER_KEYS, 6)
    chapters = [
        {
            "key": key,
            "title": draw(st.sampled_from(WORDS)),
            "objective": draw(st.sampled_from(TEXTS)),
            "required_themes": subset(THEME_KEYS, 2),
            "participating_characters": subset(CHARACTER_KEYS, 3),
            "prerequisites": subset(chapter_keys, 2),
            "draft_text": _draft(key, draw(st.lists(st.sampled_from(WORDS), max_size=6))),
        }
        for key in chapter_keys
    ]
    return {
        "premise": draw(st.sampled_from(TEXTS)),
        "canon_rules": [t for t in subset(TEXTS, 3) if t],
        "themes": themes,
        "characters": characters,
        "chapters": chapters,
    }


def blueprints() -> st.SearchStrategy[StoryBlueprint]:
    return raw_blueprints().map(StoryBlueprint.model_validate)


@dataclass(frozen=True)
class Edit:
    kind: str
    a: int
    b: int
    word: str

    def __str__(self) -> str:
        return f"{self.kind}({self.a}, {self.b}, {self.word!r})"


EDIT_KINDS = (
    "premise",
    "canon_add",
    "canon_del",
    "canon_move",
    "entity_add",
    "entity_del",
    "entity_rename",
    "entity_move",
    "scalar",
    "list_add",
    "list_del",
    "list_move",
    "voice_add",
    "voice_del",
    "rel_set",
    "rel_del",
    "draft_insert",
    "draft_delete",
    "draft_replace",
    "draft_clear",
    "story_title",
    "story_touch",
)


def one_edit() -> st.SearchStrategy[Edit]:
    return st.builds(
        Edit,
        kind=st.sampled_from(EDIT_KINDS),
        a=st.integers(0, 5),
        b=st.integers(0, 5),
        word=st.sampled_from(WORDS),
    )


def edits(max_size: int = 6) -> st.SearchStrategy[list[Edit]]:
    return st.lists(one_edit(), max_size=max_size)


@st.composite
def edit_pairs(draw: st.DrawFn, max_size: int = 6) -> tuple[list[Edit], list[Edit]]:
    """Two sides' edit sequences that often aim at the same thing: each shared edit goes to
    one side, or to both with the same or another word (which makes conflicts likely)."""
    left: list[Edit] = []
    right: list[Edit] = []
    for edit in draw(st.lists(one_edit(), max_size=max_size)):
        how = draw(st.sampled_from(["left", "right", "same", "other"]))
        if how in ("left", "same", "other"):
            left.append(edit)
        if how in ("right", "same"):
            right.append(edit)
        elif how == "other":
            right.append(Edit(edit.kind, edit.a, edit.b, draw(st.sampled_from(WORDS))))
    return left, right


def _pick(items: list[Any], index: int) -> Any:
    return items[index % len(items)] if items else None


def _move(items: list[Any], source: int, target: int) -> None:
    if items:
        item = items.pop(source % len(items))
        items.insert(target % (len(items) + 1), item)


def apply_edit(raw: Raw, edit: Edit, tag: str) -> None:
    """Change the raw blueprint ``raw`` in place; ``tag`` makes inserted draft lines unique."""
    a, b, word = edit.a, edit.b, edit.word
    kind = edit.kind
    entity_list = ENTITY_LISTS[a % 3]
    entities: list[Raw] = raw[entity_list]
    chapters: list[Raw] = raw["chapters"]
    characters: list[Raw] = raw["characters"]
    if kind == "premise":
        raw["premise"] = f"{word} premise"
    elif kind == "canon_add":
        rule = f"Rule of the {word}."
        if rule not in raw["canon_rules"]:
            raw["canon_rules"].insert(b % (len(raw["canon_rules"]) + 1), rule)
    elif kind == "canon_del" and raw["canon_rules"]:
        raw["canon_rules"].pop(b % len(raw["canon_rules"]))
    elif kind == "canon_move":
        _move(raw["canon_rules"], a, b)
    elif kind == "entity_add":
        pool = KEY_POOLS[entity_list]
        key = pool[(a + b) % len(pool)]
        if all(e["key"] != key for e in entities):
            entities.insert(b % (len(entities) + 1), _new_entity(entity_list, key, word))
    elif kind == "entity_del" and entities:
        entities.pop(b % len(entities))
    elif kind == "entity_rename" and entities:
        pool = KEY_POOLS[entity_list]
        key = pool[(a * 7 + b) % len(pool)]
        if all(e["key"] != key for e in entities):
            _pick(entities, b)["key"] = key
    elif kind == "entity_move":
        _move(entities, b, a + b)
    elif kind == "scalar" and entities:
        entity = _pick(entities, b)
        name = SCALARS[entity_list][b % 2]
        entity[name] = (a % 10) + 1 if name == "priority" else word
    elif kind in ("list_add", "list_del", "list_move") and chapters:
        chapter = _pick(chapters, a)
        name = list(KEY_LISTS)[b % 3]
        items: list[str] = chapter[name]
        if kind == "list_add":
            key = _pick(KEY_LISTS[name], a + b)
            if key not in items:
                items.insert(b % (len(items) + 1), key)
        elif kind == "list_del" and items:
            items.pop(a % len(items))
        else:
            _move(items, a, b)
    elif kind in ("voice_add", "voice_del") and characters:
        markers: list[str] = _pick(characters, a)["voice_markers"]
        if kind == "voice_add" and word not in markers:
            markers.insert(b % (len(markers) + 1), word)
        elif kind == "voice_del" and markers:
            markers.pop(b % len(markers))
    elif kind in ("rel_set", "rel_del") and characters:
        character = _pick(characters, a)
        relationships: dict[str, str] = character["relationships"]
        if kind == "rel_set":
            other = _pick([k for k in CHARACTER_KEYS if k != character["key"]], b)
            relationships[other] = word
        elif relationships:
            del relationships[_pick(list(relationships), b)]
    elif kind.startswith("draft_") and chapters:
        chapter = _pick(chapters, a)
        lines = chapter["draft_text"].split("\n") if chapter.get("draft_text") else []
        line = f"{word} {tag}"
        if kind == "draft_insert":
            lines.insert(b % (len(lines) + 1), line)
        elif kind == "draft_delete" and lines:
            lines.pop(b % len(lines))
        elif kind == "draft_replace" and lines:
            lines[b % len(lines)] = line
        elif kind == "draft_clear":
            lines = []
        chapter["draft_text"] = "\n".join(lines) or None


def _new_entity(entity_list: str, key: str, word: str) -> Raw:
    if entity_list == "themes":
        return {"key": key, "statement": f"{word} theme", "priority": 5}
    if entity_list == "characters":
        return {
            "key": key,
            "role": word,
            "motivation": "",
            "voice_markers": [],
            "relationships": {},
        }
    return {
        "key": key,
        "title": word,
        "objective": "",
        "required_themes": [],
        "participating_characters": [],
        "prerequisites": [],
        "draft_text": f"{word} new-{key}",
    }


def edit_blueprint(base: StoryBlueprint, sequence: list[Edit], tag: str) -> StoryBlueprint:
    raw = base.model_dump(mode="json")
    for number, edit in enumerate(sequence):
        apply_edit(raw, edit, f"{tag}{number}")
    return StoryBlueprint.model_validate(raw)


def story_of(blueprint: StoryBlueprint) -> Story:
    return Story.new(story_id=STORY_ID, title="A story", blueprint=blueprint, now=EPOCH)


def edit_story(base: Story, sequence: list[Edit], tag: str) -> Story:
    raw = base.model_dump(mode="json")
    for number, edit in enumerate(sequence):
        if edit.kind == "story_title":
            raw["title"] = f"The {edit.word}"
        elif edit.kind == "story_touch":
            raw["updated_at_utc"] = (EPOCH + timedelta(hours=edit.a * 12 + edit.b)).isoformat()
        else:
            apply_edit(raw["blueprint"], edit, f"{tag}{number}")
    return Story.model_validate(raw)


def clone(raw: Raw) -> Raw:
    return copy.deepcopy(raw)
