"""Hypothesis strategies for blueprints: valid ones, messy ones, arbitrary JSON, edits.

- :func:`blueprints`: raw, *valid* blueprint documents with realistic cross-references
  (every referenced key exists; prerequisites only on earlier chapters unless
  ``cycles=True``, then anywhere, which may form cycles).
- :func:`blueprint_models`: the same, validated into :class:`StoryBlueprint`.
- :func:`messy_blueprints`: valid ones after a few random corruptions (wrong types,
  unknown and mistyped references, duplicate and invalid keys, unknown fields, odd
  case and whitespace): what an editor holds mid-edit.
- :func:`json_values`: any JSON-like value (what ``json.loads`` can return).
- :func:`edits`: one edit (``set`` or ``delete`` at a path) that applies to a document.

Pure (hypothesis + story_gen.core only): runs on CPython and inside Pyodide.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

from story_gen.core import PathPart, StoryBlueprint

__all__ = [
    "WORDS",
    "apply_edit",
    "blueprint_models",
    "blueprints",
    "edits",
    "json_values",
    "keys",
    "messy_blueprints",
    "paths_of",
]

Raw = dict[str, Any]
Edit = tuple[str, tuple[PathPart, ...], object]
"""("set", path, value) or ("delete", path, None)."""

WORDS = [
    "rabbit",
    "hole",
    "tea",
    "party",
    "queen",
    "croquet",
    "mirror",
    "ghost",
    "spirit",
    "chain",
    "lantern",
    "harbor",
    "raven",
    "winter",
    "garden",
    "letter",
    "storm",
    "promise",
    "debt",
    "secret",
    "crown",
]

_sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(
    lambda words: " ".join(words).capitalize() + "."
)
texts = st.one_of(
    _sentence,
    st.just(""),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
)
"""Writer's text: mostly sentences, sometimes empty or arbitrary Unicode."""


_WORD_KEYS = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map("-".join)
_KEYS = st.one_of(_WORD_KEYS, st.from_regex(r"[a-z][a-z0-9_-]{0,12}", fullmatch=True))
_PICKS = st.lists(st.integers(0, 63), max_size=4)
_PRIORITIES = st.integers(1, 10)
_DRAFTS = st.one_of(st.none(), _sentence)
_VOICES = st.lists(_sentence, max_size=2)
_PREMISES = st.one_of(_sentence, st.just(""))
_RULES = st.lists(_sentence, max_size=3, unique=True)


def keys(prefix: str = "") -> st.SearchStrategy[str]:
    """Valid, already normalised keys, often word-like (so typos have close neighbours)."""
    return _KEYS.map(lambda key: f"{prefix}{key}"[:120]) if prefix else _KEYS


@st.composite
def blueprints(
    draw: st.DrawFn,
    *,
    max_themes: int = 5,
    max_characters: int = 6,
    max_chapters: int = 8,
    cycles: bool = False,
) -> Raw:
    # Strategies are module-level and picks are drawn as indexes: building strategies
    # inside a draw makes hypothesis validate them every time (slow, worse in Pyodide).
    def unique_keys(most: int) -> list[str]:
        found: dict[str, None] = {}
        for _ in range(draw(st.integers(0, most))):
            found.setdefault(draw(_KEYS))
        return list(found)

    def some(pool: list[str], most: int) -> list[str]:
        if not pool:
            return []
        return list(dict.fromkeys(pool[i % len(pool)] for i in draw(_PICKS)[:most]))

    theme_keys = unique_keys(max_themes)
    character_keys = unique_keys(max_characters)
    chapter_keys = unique_keys(max_chapters)
    themes = [
        {"key": key, "statement": draw(texts), "priority": draw(_PRIORITIES)} for key in theme_keys
    ]
    characters = [
        {
            "key": key,
            "role": draw(texts),
            "motivation": draw(texts),
            "voice_markers": draw(_VOICES),
            "relationships": {
                other: draw(texts) for other in some([k for k in character_keys if k != key], 3)
            },
        }
        for key in character_keys
    ]
    chapters = []
    for index, key in enumerate(chapter_keys):
        pool = chapter_keys[:index] if not cycles else [k for k in chapter_keys if k != key]
        chapters.append(
            {
                "key": key,
                "title": draw(texts),
                "objective": draw(texts),
                "required_themes": some(theme_keys, 3),
                "participating_characters": some(character_keys, 4),
                "prerequisites": some(pool, 3),
                "draft_text": draw(_DRAFTS),
            }
        )
    return {
        "premise": draw(_PREMISES),
        "canon_rules": draw(_RULES),
        "themes": themes,
        "characters": characters,
        "chapters": chapters,
    }


def blueprint_models(**kwargs: Any) -> st.SearchStrategy[StoryBlueprint]:
    return blueprints(**kwargs).map(StoryBlueprint.model_validate)


json_values: st.SearchStrategy[object] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["", " ", "Alice", "key", "chapters", "draft_text", "a b"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.one_of(
                st.text(max_size=8),
                st.sampled_from(["key", "title", "premise", "themes", "chapters", "draft"]),
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)
"""Any JSON-like value: what ``json.loads`` can return for some text."""


def paths_of(doc: object, prefix: tuple[PathPart, ...] = ()) -> list[tuple[PathPart, ...]]:
    """Every location in ``doc`` (the root excluded), outermost first."""
    found: list[tuple[PathPart, ...]] = []
    if isinstance(doc, dict):
        for name, value in doc.items():
            if isinstance(name, str):
                found.append((*prefix, name))
                found.extend(paths_of(value, (*prefix, name)))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            found.append((*prefix, index))
            found.extend(paths_of(value, (*prefix, index)))
    return found


def apply_edit(doc: object, edit: Edit) -> object:
    """The document after ``edit``, computed plainly on a deep copy (the reference)."""
    op, path, value = edit
    if not path:
        return copy.deepcopy(value)
    result = copy.deepcopy(doc)
    container: Any = result
    for part in path[:-1]:
        container = container[part]
    last = path[-1]
    if op == "delete":
        del container[last]
    elif isinstance(container, list) and last == len(container):
        container.append(copy.deepcopy(value))
    else:
        container[last] = copy.deepcopy(value)
    return result


def _keys_in(doc: object) -> list[str]:
    found: list[str] = []
    if isinstance(doc, dict):
        for section in ("themes", "characters", "chapters"):
            items = doc.get(section)
            if isinstance(items, list):
                found.extend(
                    item["key"]
                    for item in items
                    if isinstance(item, dict) and isinstance(item.get("key"), str)
                )
    return found


def _typo(key: str) -> st.SearchStrategy[str]:
    return st.sampled_from(
        [key + "x", key[:-1] or "x", key.upper(), f" {key} ", key[::-1], f"{key} 2", ""]
    )


@st.composite
def _entities(draw: st.DrawFn, known: list[str]) -> dict[str, object]:
    """A theme-, character- or chapter-shaped object reusing (and misspelling) known keys."""
    key = draw(st.sampled_from(known))
    names = st.one_of(st.sampled_from(known), _typo(key))
    entity: dict[str, object] = {"key": draw(st.one_of(st.just(key), _typo(key)))}
    shape = draw(st.sampled_from(["theme", "character", "chapter"]))
    if shape == "theme":
        entity["priority"] = draw(st.integers(0, 11))
    elif shape == "character":
        entity["relationships"] = draw(st.dictionaries(names, _sentence, max_size=2))
    else:
        for field in ("required_themes", "participating_characters", "prerequisites"):
            entity[field] = draw(st.lists(names, max_size=3))
        entity["draft_text"] = draw(st.one_of(st.none(), _sentence))
    return entity


@st.composite
def _values_for(draw: st.DrawFn, doc: object) -> object:
    """Values an editor would put somewhere: known keys, near misses, lists, entities."""
    known = _keys_in(doc) or ["alice"]
    key = draw(st.sampled_from(known))
    return draw(
        st.one_of(
            st.just(key),
            _typo(key),
            st.lists(st.sampled_from(known), max_size=3),
            st.lists(st.one_of(st.sampled_from(known), _typo(key)), max_size=3),
            _sentence,
            st.none(),
            st.integers(0, 12),
            _entities(known),
            json_values,
        )
    )


_REF_FIELDS = {
    ("required_themes",),
    ("participating_characters",),
    ("prerequisites",),
    ("relationships",),
}
_THIRD = st.integers(0, 2).map(lambda n: n == 0)


@st.composite
def edits(draw: st.DrawFn, doc: object, *, keys_only: bool = False) -> Edit:
    """One edit that applies to ``doc``: set an existing location or append, or delete.

    ``keys_only``: only set entity keys and references, to known keys or near misses
    (what moves "did you mean" hints, duplicates and unknown references around).
    """
    paths = paths_of(doc)
    if keys_only:
        targets = [p for p in paths if p[-1] == "key" or p[-2:-1] in _REF_FIELDS]
        if targets:
            known = _keys_in(doc) or ["alice"]
            key = draw(st.sampled_from(known))
            return (
                "set",
                draw(st.sampled_from(targets)),
                draw(st.one_of(st.just(key), _typo(key))),
            )
    appendable = [
        (*path, len(value)) for path in [(), *paths] if isinstance(value := _get(doc, path), list)
    ]
    if not paths or draw(st.integers(0, 9)) == 0:
        if isinstance(doc, dict) and draw(st.booleans()):
            name = draw(st.sampled_from(["premise", "canon_rules", "themes", "extra", "draft"]))
            return ("set", (name,), draw(_values_for(doc)))
        if appendable:
            return ("set", draw(st.sampled_from(appendable)), draw(_values_for(doc)))
        return ("set", (), draw(st.one_of(blueprints(max_chapters=4, cycles=True), json_values)))
    # Keys and references are where cross-entity problems live: aim there a third of the time.
    about_keys = [path for path in paths if path[-1] == "key" or path[-2:-1] in _REF_FIELDS]
    aim = bool(about_keys) and draw(_THIRD)
    path = draw(st.sampled_from(about_keys if aim else paths))
    if draw(st.integers(0, 4)) == 0:
        return ("delete", path, None)
    return ("set", path, draw(_values_for(doc)))


def _get(doc: object, path: tuple[PathPart, ...]) -> object:
    for part in path:
        doc = doc[part]  # type: ignore[index]
    return doc


@st.composite
def messy_blueprints(draw: st.DrawFn) -> object:
    """A valid blueprint after zero to four random edits (the editor's everyday state)."""
    doc: object = draw(
        blueprints(max_themes=4, max_characters=4, max_chapters=6, cycles=draw(st.booleans()))
    )
    if draw(_THIRD):  # a copied entity: a duplicate key, sometimes in another case
        section = draw(st.sampled_from(["themes", "characters", "chapters"]))
        items = doc[section]  # type: ignore[index]
        if items:
            twin = dict(draw(st.sampled_from(items)))
            twin["key"] = draw(st.sampled_from([twin["key"], twin["key"].upper()]))
            doc = apply_edit(doc, ("set", (section, len(items)), twin))
    for _ in range(draw(st.integers(0, 4))):
        doc = apply_edit(doc, draw(edits(doc)))
    return doc
