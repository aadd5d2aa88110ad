"""Checks on merge results, written independently of the merge code.

``lost_edits`` is the "no lost edit" property over a flattened, key-addressed view of
the blueprint: every value either side changed must be, in the result, equal to that
side's value, or be held by a conflict (at that path or at an enclosing entity's path).
Drafts are checked line by line: the lines a side added must be present, and the lines
it removed absent, in the merged draft or in one of the conflict's versions (the edit
strategies make every draft line unique, so membership is exact).

The view, per path:

- ``premise``, ``chapters[x].objective``, ``themes[t].priority``: the scalar;
- ``chapters[x]``: True while the entity exists;
- ``chapters[x].prerequisites{k}``, ``canon_rules{rule}``: True while the item is listed;
- ``characters[a].relationships[b]``: the relationship's text;
- ``chapters[x].draft_text``: the draft (compared line by line).

Order is not part of the view (moves are checked by their own tests).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from story_gen.core import Conflict, Story, StoryBlueprint

Flat = dict[str, Any]

_ENTITY_FIELDS: dict[str, dict[str, str]] = {
    "themes": {"statement": "scalar", "priority": "scalar"},
    "characters": {
        "role": "scalar",
        "motivation": "scalar",
        "voice_markers": "set",
        "relationships": "map",
    },
    "chapters": {
        "title": "scalar",
        "objective": "scalar",
        "required_themes": "set",
        "participating_characters": "set",
        "prerequisites": "set",
        "draft_text": "text",
    },
}


def _entity(out: Flat, entity_list: str, entity: dict[str, Any], prefix: str) -> None:
    out[prefix] = True
    for name, kind in _ENTITY_FIELDS[entity_list].items():
        value = entity.get(name)
        path = f"{prefix}.{name}"
        if kind == "set":
            out.update({f"{path}{{{item}}}": True for item in value or []})
        elif kind == "map":
            out.update({f"{path}[{key}]": text for key, text in (value or {}).items()})
        elif value is not None:
            out[path] = value


def flatten(document: Story | StoryBlueprint) -> Flat:
    raw = document.model_dump(mode="json")
    out: Flat = {}
    if isinstance(document, Story):
        out["title"] = raw["title"]
        raw = raw["blueprint"]
    out["premise"] = raw["premise"]
    out.update({f"canon_rules{{{rule}}}": True for rule in raw["canon_rules"]})
    for entity_list in _ENTITY_FIELDS:
        for entity in raw[entity_list]:
            _entity(out, entity_list, entity, f"{entity_list}[{entity['key']}]")
    return out


def flatten_at(path: str, value: Any) -> Flat:
    """The view of a conflict's side value, as if it stood at ``path``."""
    if value is None:
        return {}
    if isinstance(value, dict) and "key" in value:
        out: Flat = {}
        _entity(out, path.split("[", 1)[0], value, path)
        return out
    return {path: value}


def _encloses(outer: str, path: str) -> bool:
    return path == outer or any(path.startswith(outer + sep) for sep in (".", "{", "["))


def _lines(text: Any) -> set[str]:
    return set(text.split("\n")) if isinstance(text, str) and text else set()


def _held(path: str, wanted: Any, merged: Flat, conflicts: list[Conflict]) -> bool:
    candidates = [merged.get(path)]
    for c in conflicts:
        if c.kind != "order" and _encloses(c.path, path):
            candidates += [
                flatten_at(c.path, c.ours).get(path),
                flatten_at(c.path, c.theirs).get(path),
            ]
    return any(candidate == wanted for candidate in candidates)


def _draft_held(path: str, base: Any, wanted: Any, merged: Flat, conflicts: list[Conflict]) -> bool:
    added = _lines(wanted) - _lines(base)
    removed = _lines(base) - _lines(wanted)
    candidates = [merged.get(path)]
    for c in conflicts:
        if c.kind != "order" and _encloses(c.path, path):
            candidates += [
                flatten_at(c.path, c.ours).get(path),
                flatten_at(c.path, c.theirs).get(path),
            ]
    return any(
        added <= _lines(candidate) and not (removed & _lines(candidate)) for candidate in candidates
    )


def changes(base: Flat, side: Flat) -> Flat:
    return {p: side.get(p) for p in base.keys() | side.keys() if base.get(p) != side.get(p)}


def lost_edits(
    base: Story | StoryBlueprint,
    sides: Mapping[str, Story | StoryBlueprint],
    merged: Story | StoryBlueprint,
    conflicts: list[Conflict],
) -> list[str]:
    """Every change of a side that is neither in ``merged`` nor held by a conflict."""
    flat_base, flat_merged = flatten(base), flatten(merged)
    lost = []
    for name, side in sides.items():
        for path, value in sorted(changes(flat_base, flatten(side)).items()):
            if path.endswith(".draft_text"):
                ok = _draft_held(path, flat_base.get(path), value, flat_merged, conflicts)
            else:
                ok = _held(path, value, flat_merged, conflicts)
            if not ok:
                lost.append(f"{name}: {path} = {value!r} (merged: {flat_merged.get(path)!r})")
    return lost


def _side_neutral(c: Conflict) -> dict[str, Any]:
    chosen = {"ours": c.ours, "theirs": c.theirs}.get(c.provisional)
    sides = sorted(json.dumps(v, sort_keys=True) for v in (c.ours, c.theirs))
    view = c.model_dump(mode="json", exclude={"ours", "theirs", "provisional"})
    return {**view, "sides": sides, "holds": json.dumps(chosen, sort_keys=True)}


def side_neutral(document: Story | StoryBlueprint, conflicts: list[Conflict]) -> str:
    """The document and its conflicts with "which side is ours" erased, for symmetry checks."""
    raw = document.model_dump(mode="json")
    raw.pop("conflicts", None)
    neutral = {
        "document": raw,
        "carried": [_side_neutral(c) for c in getattr(document, "conflicts", [])],
        "raised": [_side_neutral(c) for c in conflicts],
    }
    return json.dumps(neutral, ensure_ascii=False)


def value_at(document: Story | StoryBlueprint, path: str) -> Any:
    """The JSON value at a key-addressed path (``chapters[x].objective``); None when absent."""
    raw: Any = document.model_dump(mode="json")
    if isinstance(document, Story) and path.split("[")[0].split(".")[0] not in (
        "title",
        "conflicts",
    ):
        raw = raw["blueprint"]
    for step in path.split("."):
        name, _, key = step.partition("[")
        raw = raw.get(name) if isinstance(raw, dict) else None
        if key:
            key = key.rstrip("]")
            if isinstance(raw, list):
                raw = next((e for e in raw if e.get("key", e.get("conflict_id")) == key), None)
            elif isinstance(raw, dict):
                raw = raw.get(key)
    return raw


def provisional_mismatches(
    document: Story | StoryBlueprint, conflicts: list[Conflict]
) -> list[str]:
    """Conflicts whose ``provisional`` side is not what the document holds at their path."""
    wrong = []
    for c in conflicts:
        if c.provisional == "both":
            continue
        held = c.ours if c.provisional == "ours" else c.theirs
        if value_at(document, c.path) != held:
            wrong.append(f"{c.path}: holds {value_at(document, c.path)!r}, conflict says {held!r}")
    return wrong
