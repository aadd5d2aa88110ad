"""What can be said about one entity (or the blueprint's own fields) on its own.

:func:`check_entity` is a pure function of ``(kind, index, raw entity)``: its
schema problems, its key, the keys it references and the problems that need no
other entity (a chapter listing itself as a prerequisite, a missing draft). The
session combines these facts across entities. A broken entity still contributes
every key and reference that can be read from it, so one bad field never hides
the problems (or the existence) of the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from pydantic import ValidationError

from story_gen.core._construct import constructor
from story_gen.core.blueprint import Chapter, Character, StoryBlueprint, Theme
from story_gen.core.diagnosis._entries import (
    KINDS,
    MODELS,
    REF_FIELDS,
    SEVERITY_RANK,
    SINGULAR,
    Entry,
    describe,
    entry,
    field_rank,
    new_diagnostic,
    ref_position,
)
from story_gen.core.diagnosis._schema import schema_entries
from story_gen.core.diagnostic import Severity
from story_gen.core.keys import KEY_INPUT_PATTERN
from story_gen.core.paths import PathPart
from story_gen.core.text_rules import trim, trim_end

__all__ = [
    "Facts",
    "TopFacts",
    "check_entity",
    "check_top",
    "entity_label",
    "is_list",
    "locate_reference",
    "shown_name",
]

_KEY_INPUT_RE = re.compile(KEY_INPUT_PATTERN)
_BLUEPRINT_FIELDS = list(StoryBlueprint.model_fields)
_ENTITY_FIELDS = {kind: list(MODELS[kind].model_fields) for kind in KINDS}
_VALIDATE = {kind: MODELS[kind].__pydantic_validator__.validate_python for kind in KINDS}
_CONSTRUCT: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    kind: constructor(MODELS[kind]) for kind in KINDS
}
_PREREQUISITES_RANK = field_rank("chapters", "prerequisites")
_DRAFT_RANK = (field_rank("chapters", "draft_text"), -1)
_INFO_RANK = SEVERITY_RANK[Severity.INFO]
_PREREQUISITES_AT = ref_position("chapters", "prerequisites")
_RELATIONSHIPS_AT = ref_position("characters", "relationships")

Refs = tuple[Sequence[str], ...]
_NO_REFS: dict[str, Refs] = {kind: tuple(() for _ in REF_FIELDS[kind]) for kind in KINDS}


class Facts(NamedTuple):
    """One entity as the diagnosis sees it (a tuple: made a thousand times per check)."""

    raw: object
    key: str | None
    """The normalised key, or None when it is missing or invalid."""
    model: Theme | Character | Chapter | None
    """The validated entity, or None when it has schema problems."""
    refs: Refs
    """Per :data:`REF_FIELDS` entry: the valid keys referenced, deduplicated, self excluded."""
    local: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class TopFacts:
    """The blueprint's own fields (everything except the three entity lists)."""

    local: tuple[Entry, ...]
    top: StoryBlueprint | None
    """Premise and canon rules, validated (entity lists empty), or None on problems."""


def is_list(value: object) -> bool:
    return isinstance(value, list | tuple)


_SHOWN_FIELD = {"chapters": "title", "themes": "name", "characters": "name"}


def shown_name(kind: str, raw: object) -> str | None:
    """What the writer reads for an entity: a chapter's title, a theme's or character's name."""
    if type(raw) is not dict:
        return None
    value = raw.get(_SHOWN_FIELD[kind])
    if isinstance(value, str):
        return trim(value) or None
    return None


def entity_label(kind: str, index: int, key: str | None, shown: str | None = None) -> str:
    """The entity as a message names it: by its title or name when it has one (what the writer
    reads), else by its key; by its place in the list when it has neither."""
    singular = SINGULAR[kind]
    if key is not None or shown is not None:
        return f'{singular.capitalize()} "{shown or key}"'
    return f"The {singular} number {index + 1}"


def _salvage_key(value: object) -> str | None:
    if isinstance(value, str):
        stripped = trim(value)
        if _KEY_INPUT_RE.fullmatch(stripped):
            return stripped.lower()
    return None


def _salvage_keys(value: object) -> list[str]:
    keys: dict[str, None] = {}
    if isinstance(value, Mapping):
        value = list(value)
    if is_list(value):
        for item in value:  # type: ignore[attr-defined]
            key = _salvage_key(item)
            if key is not None:
                keys.setdefault(key)
    return list(keys)


def locate_reference(raw: object, field: str, key: str) -> tuple[PathPart | None, int]:
    """Where ``key`` first appears in ``raw[field]``: (list index or object key, position)."""
    value = raw.get(field) if isinstance(raw, Mapping) else None
    if isinstance(value, Mapping):
        for position, name in enumerate(value):
            if _salvage_key(name) == key:
                return name, position
    elif is_list(value):
        for position, item in enumerate(value):  # type: ignore[arg-type]
            if _salvage_key(item) == key:
                return position, position
    return None, -1


def _refs_of(kind: str, model: Theme | Character | Chapter) -> Refs:
    # A relationships object's keys are the references: tuple() of a dict gives them.
    return tuple(tuple(getattr(model, field)) for field, _ in REF_FIELDS[kind])


def _without(refs: Refs, at: int, key: str) -> Refs:
    """``refs`` with ``key`` left out of its field at position ``at`` (a self-reference)."""
    return tuple(
        tuple(other for other in keys if other != key) if n == at else keys
        for n, keys in enumerate(refs)
    )


def _no_draft(index: int, key: str, title: str | None) -> Entry:
    message = f'Chapter "{title or key}" has no draft yet.'
    diagnostic = new_diagnostic(
        {
            "severity": Severity.INFO,
            "code": "chapter.no_draft",
            "path": f"chapters[{index}].draft_text",
            "message": message,
        }
    )
    return ((_DRAFT_RANK[0], _DRAFT_RANK[1], _INFO_RANK, "chapter.no_draft", message), diagnostic)


def check_entity(kind: str, index: int, raw: object, *, trusted: bool = False) -> Facts:
    """``trusted``: ``raw`` is part of a document proved to be the canonical form the core
    wrote (``story_gen.core.stored``), so its model is built without validating it again."""
    # The fast path: a valid entity with no self-reference, which is nearly all of
    # them. It is the inner loop of every full check, so it does as little as it can,
    # and writes the refs out in REF_FIELDS order by hand (test_diagnosis_parts checks it).
    if type(raw) is dict:
        if trusted:
            model = _CONSTRUCT[kind](raw)
        else:
            try:
                model = _VALIDATE[kind](raw)
            except ValidationError as exc:
                return _check_general(kind, index, raw, None, exc)
        key = model.key
        if kind == "chapters":
            prerequisites = model.prerequisites
            if key not in prerequisites:
                refs = (model.required_themes, model.participating_characters, prerequisites)
                if model.draft_text is None:
                    return Facts(raw, key, model, refs, (_no_draft(index, key, model.title),))
                return Facts(raw, key, model, refs, ())
        elif kind == "themes":
            return Facts(raw, key, model, (), ())
        elif key not in model.relationships:
            return Facts(raw, key, model, (tuple(model.relationships),), ())
        return _check_general(kind, index, raw, model, None)
    return _check_general(kind, index, raw, None, None)


def _check_general(
    kind: str,
    index: int,
    raw: object,
    model: Theme | Character | Chapter | None,
    exc: ValidationError | None,
) -> Facts:
    prefix: tuple[PathPart, ...] = (kind, index)
    singular = SINGULAR[kind]
    if not isinstance(raw, dict):
        problem = entry(
            Severity.ERROR,
            "schema.invalid",
            prefix,
            f"Each {singular} should be an object {{...}}, not {describe(raw)}.",
            f'Write it like {{"key": "my-{singular}", ...}}.',
        )
        return Facts(raw, None, None, _NO_REFS[kind], (problem,))
    if model is None:
        key = _salvage_key(raw.get("key"))
        local = (
            schema_entries(
                exc.errors(include_url=False),
                prefix=prefix,
                kind=kind,
                raw=raw,
                label=entity_label(kind, index, key, shown_name(kind, raw)),
                fields=_ENTITY_FIELDS[kind],
                singular=singular,
            )
            if exc is not None
            else []
        )
        refs: Refs = tuple(_salvage_keys(raw.get(field)) for field, _ in REF_FIELDS[kind])
    else:
        key = model.key
        local = []
        refs = _refs_of(kind, model)
    if kind == "chapters":
        refs = _chapter_checks(index, raw, model, key, refs, local)
    elif kind == "characters" and key is not None and key in refs[_RELATIONSHIPS_AT]:
        name, position = locate_reference(raw, "relationships", key)
        local.append(
            entry(
                Severity.WARNING,
                "character.self_relationship",
                [*prefix, "relationships", name if name is not None else key],
                f"{entity_label(kind, index, key, shown_name(kind, raw))} "
                "lists a relationship with itself.",
                "Remove it, or use the key of the other character.",
                rank=(field_rank(kind, "relationships"), position),
            )
        )
        refs = _without(refs, _RELATIONSHIPS_AT, key)
    return Facts(raw, key, model, refs, tuple(local))


def _chapter_checks(
    index: int,
    raw: dict[object, object],
    model: Theme | Character | Chapter | None,
    key: str | None,
    refs: Refs,
    local: list[Entry],
) -> Refs:
    prefix: tuple[PathPart, ...] = ("chapters", index)
    if key is not None and key in refs[_PREREQUISITES_AT]:
        position = locate_reference(raw, "prerequisites", key)[1]
        local.append(
            entry(
                Severity.ERROR,
                "chapter.self_prerequisite",
                [*prefix, "prerequisites", max(position, 0)],
                f"{entity_label('chapters', index, key, shown_name('chapters', raw))} lists itself "
                "as a prerequisite; a chapter cannot be written before itself.",
                f'Remove "{key}" from its prerequisites.',
                rank=(_PREREQUISITES_RANK, position),
            )
        )
        refs = _without(refs, _PREREQUISITES_AT, key)
    if isinstance(model, Chapter):
        no_draft = model.draft_text is None
    else:
        draft = raw.get("draft_text")
        no_draft = draft is None or (isinstance(draft, str) and not trim_end(draft))
    if no_draft and key is not None:
        local.append(_no_draft(index, key, shown_name("chapters", raw)))
    elif no_draft:
        local.append(
            entry(
                Severity.INFO,
                "chapter.no_draft",
                f"chapters[{index}].draft_text",
                f"{entity_label('chapters', index, key, shown_name('chapters', raw))} "
                "has no draft yet.",
                rank=_DRAFT_RANK,
            )
        )
    return refs


def check_top(raw: object) -> TopFacts:
    if not isinstance(raw, dict):
        problem = entry(
            Severity.ERROR,
            "schema.invalid",
            (),
            f"A blueprint should be a JSON object {{...}}, not {describe(raw)}.",
            'Start from {"premise": "...", "canon_rules": [], "themes": [], '
            '"characters": [], "chapters": []}.',
        )
        return TopFacts((problem,), None)
    local: list[Entry] = []
    top: StoryBlueprint | None
    try:
        top = StoryBlueprint.model_validate({k: v for k, v in raw.items() if k not in KINDS})
    except ValidationError as exc:
        top = None
        local = schema_entries(
            exc.errors(include_url=False),
            prefix=(),
            kind="",
            raw=raw,
            label="The blueprint",
            fields=_BLUEPRINT_FIELDS,
            singular="blueprint",
        )
    for kind in KINDS:
        value = raw.get(kind)
        if kind in raw and not is_list(value):
            local.append(
                entry(
                    Severity.ERROR,
                    "schema.invalid",
                    (kind,),
                    f"{kind} should be a list of {kind}, not {describe(value)}.",
                    f"Put the {kind} in [ ], even when there is only one.",
                    rank=(field_rank("", kind), -1),
                )
            )
    premise = raw.get("premise", "")
    if isinstance(premise, str) and not trim(premise):
        local.append(
            entry(
                Severity.WARNING,
                "premise.empty",
                ("premise",),
                "The premise is empty.",
                "Write one or two sentences saying what the story is about.",
                rank=(field_rank("", "premise"), -1),
            )
        )
    local.sort(key=lambda item: item[0])
    return TopFacts(tuple(local), top)
