"""The cross-entity findings (duplicate key, unused theme or character, unknown reference)
and the per-entity buckets they are sorted into."""

from __future__ import annotations

from story_gen.core.diagnosis._entity import Facts, entity_label, locate_reference, shown_name
from story_gen.core.diagnosis._entries import SINGULAR, Entry, SortKey, entry, field_rank
from story_gen.core.diagnostic import Diagnostic, Severity
from story_gen.core.document import BLUEPRINT, REFERENCES

__all__ = [
    "FIELD_PLACE",
    "UNKNOWN",
    "duplicate",
    "local_bucket",
    "sort_key",
    "unknown_reference",
    "unused",
]


def _field_places() -> dict[str, str]:
    out: dict[str, str] = {}
    for collection, fields in REFERENCES.items():
        owner = BLUEPRINT.by_name[collection].shape
        assert owner is not None
        for name, _ in fields:
            out[name] = f"the {owner.noun}'s {owner.by_name[name].label.lower()}"
    return out


FIELD_PLACE = _field_places()
"""Where a reference field sits, in the editor's words ("the chapter's required themes"):
the hint says what to remove a reference from."""

UNKNOWN = {
    "required_themes": ("chapter.unknown_theme", "requires the theme", "theme"),
    "participating_characters": (
        "chapter.unknown_character",
        "includes the character",
        "character",
    ),
    "prerequisites": ("chapter.unknown_prerequisite", "needs the chapter", "chapter"),
    "relationships": ("character.unknown_relationship", "has a relationship with", "character"),
}


def sort_key(item: Entry) -> SortKey:
    return item[0]


def local_bucket(local: tuple[Entry, ...]) -> tuple[Diagnostic, ...]:
    """The bucket of an entity with no cross-entity finding."""
    if not local:
        return ()
    if len(local) == 1:
        return (local[0][1],)
    return tuple(diagnostic for _, diagnostic in sorted(local, key=sort_key))


def duplicate(kind: str, index: int, key: str, first: int) -> Entry:
    return entry(
        Severity.ERROR,
        "key.duplicate",
        (kind, index, "key"),
        f'The key "{key}" is already used by {SINGULAR[kind]} {first + 1} of the list; '
        f"each {SINGULAR[kind]} needs its own key.",
        f"Rename one of the two {kind}, or merge them into one.",
        rank=(field_rank(kind, "key"), -1),
    )


def unused(kind: str, index: int, key: str) -> Entry:
    if kind == "themes":
        return entry(
            Severity.WARNING,
            "theme.unused",
            (kind, index),
            f'No chapter requires the theme "{key}".',
            "Add it to the required themes of the chapters that explore it, or remove the theme.",
        )
    return entry(
        Severity.WARNING,
        "character.unused",
        (kind, index),
        f'Character "{key}" appears in no chapter.',
        "Add the character to the characters of a chapter, or remove the character.",
    )


def unknown_reference(
    kind: str, index: int, facts: Facts, field: str, ref: str, guess: str | None
) -> Entry:
    """An unknown reference; ``guess`` is the "did you mean" key, if any."""
    code, verb, noun = UNKNOWN[field]
    name, position = locate_reference(facts.raw, field, ref)
    if guess is not None:
        hint = f'Did you mean "{guess}"?'
    else:
        hint = f'Add a {noun} with the key "{ref}", or remove "{ref}" from {FIELD_PLACE[field]}.'
    return entry(
        Severity.ERROR,
        code,
        (kind, index, field, name if name is not None else ref),
        f"{entity_label(kind, index, facts.key, shown_name(kind, facts.raw))} "
        f'{verb} "{ref}", but no {noun} has that key.',
        hint,
        rank=(field_rank(kind, field), position),
    )
