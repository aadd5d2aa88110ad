"""One-click fixes for the problems whose fix the core knows: an unknown reference, a cycle.

A chapter that requires an unknown theme (or names an unknown character or prerequisite), or a
character related to an unknown character, is fixed by replacing the reference with the key
diagnose suggested ("Did you mean "hope"?"), by removing it, or by creating the missing theme,
character or chapter under that key. A circle of prerequisites is broken by removing the
prerequisite its ``chapter.cycle`` problem points at. :func:`fix_reference` finds the reference
from the diagnostic's code and path, checks again that the problem is still there (recomputing
the suggestion itself, never trusting the caller's copy of it) and returns the :class:`Edit`
that makes the fix, so a fix is undone, synced and diagnosed like any other edit.
"""

from __future__ import annotations

from typing import Literal

from story_gen.core.blueprint import Chapter, Character, StoryBlueprint
from story_gen.core.edits._entities import add_entity, replace_entity
from story_gen.core.edits._errors import EditRejectedError
from story_gen.core.edits._kinds import EntityKind, entities
from story_gen.core.edits._lists import set_list
from story_gen.core.edits._result import Edit
from story_gen.core.paths import InvalidPathError, parse_path
from story_gen.core.suggest import closest

__all__ = ["CYCLE_CODE", "FIXABLE_CODES", "FixAction", "fix_reference", "suggested_replacement"]

FixAction = Literal["replace", "remove", "create"]

CYCLE_CODE = "chapter.cycle"
"""The cycle problem: placed at the prerequisite whose removal breaks its circle; only
``remove`` fixes it."""

FIXABLE_CODES: dict[str, tuple[str, EntityKind]] = {
    "chapter.unknown_theme": ("required_themes", "theme"),
    "chapter.unknown_character": ("participating_characters", "character"),
    "chapter.unknown_prerequisite": ("prerequisites", "chapter"),
    "character.unknown_relationship": ("relationships", "character"),
}
"""Diagnostic code -> (the field holding the reference, the kind it names)."""


def _located(bp: StoryBlueprint, code: str, path: str) -> tuple[Chapter | Character, str, str]:
    """The entity holding the reference, the field, and the unknown key it holds."""
    if code == CYCLE_CODE:
        field = "prerequisites"
    elif code in FIXABLE_CODES:
        field, _ = FIXABLE_CODES[code]
    else:
        raise EditRejectedError(f'The studio has no one-click fix for "{code}".')
    try:
        parts = parse_path(path)
    except InvalidPathError:
        raise EditRejectedError(f'"{path}" is not a path in the story.') from None
    owner_kind: EntityKind = "character" if field == "relationships" else "chapter"
    collection = "characters" if owner_kind == "character" else "chapters"
    if len(parts) != 4 or parts[0] != collection or parts[2] != field:
        raise EditRejectedError(f'"{path}" is not a {field.replace("_", " ")} reference.')
    index, item = parts[1], parts[3]
    owners = entities(bp, owner_kind)
    if not isinstance(index, int) or not 0 <= index < len(owners):
        raise EditRejectedError(f"The story has changed: there is nothing at {path} any more.")
    owner = owners[index]
    assert isinstance(owner, Chapter | Character)
    if isinstance(owner, Character):
        ref = item if isinstance(item, str) and item in owner.relationships else None
    else:
        keys: list[str] = getattr(owner, field)
        ref = keys[item] if isinstance(item, int) and 0 <= item < len(keys) else None
    if ref is None:
        raise EditRejectedError(f"The story has changed: there is nothing at {path} any more.")
    return owner, field, ref


def suggested_replacement(bp: StoryBlueprint, code: str, path: str) -> str | None:
    """The existing key diagnose suggests instead of the unknown one at ``path``, if any."""
    if code not in FIXABLE_CODES:
        return None
    _, _, ref = _located(bp, code, path)
    _, kind = FIXABLE_CODES[code]
    known = [entity.key for entity in entities(bp, kind)]
    if ref in known:
        return None
    return closest(ref, known)


def fix_reference(
    bp: StoryBlueprint, code: str, path: str, action: FixAction, replacement: str | None = None
) -> Edit:
    """Replace the unknown reference at ``path`` with the suggested key, remove it, or create
    the entity it names; for a ``chapter.cycle`` problem, remove the prerequisite at ``path``.

    ``replacement`` is the key the writer was shown: the fix is refused when the core would now
    suggest another (the story changed since), so a click never does something it did not say.
    """
    owner, field, ref = _located(bp, code, path)
    if code == CYCLE_CODE:
        assert isinstance(owner, Chapter)
        return _break_cycle(bp, owner, ref, action)
    _, kind = FIXABLE_CODES[code]
    known = {entity.key for entity in entities(bp, kind)}
    if ref in known:
        raise EditRejectedError(f'"{ref}" is a known {kind} now; there is nothing to fix.')
    if action == "create":
        return add_entity(bp, kind, {"key": ref})
    new: str | None = None
    if action == "replace":
        new = suggested_replacement(bp, code, path)
        if new is None or (replacement is not None and new != replacement):
            raise EditRejectedError(
                f'The story has changed: "{ref}" no longer has the suggested replacement '
                f'"{replacement}".'
            )
    if isinstance(owner, Character):
        relationships = {
            (new if key == ref else key): text
            for key, text in owner.relationships.items()
            if key != ref or (new is not None and new not in owner.relationships)
        }
        return replace_entity(bp, "character", owner.key, {"relationships": relationships})
    keys: list[str] = getattr(owner, field)
    values = [new if key == ref else key for key in keys if key != ref or new is not None]
    return set_list(bp, field, [v for v in values if v is not None], owner=("chapter", owner.key))


def _break_cycle(bp: StoryBlueprint, owner: Chapter, prerequisite: str, action: FixAction) -> Edit:
    """Remove ``prerequisite`` from ``owner``, if that edge still closes a circle."""
    if action != "remove":
        raise EditRejectedError("A circle of prerequisites is fixed by removing one of them.")
    if not _waits_for(bp, prerequisite, owner.key):
        raise EditRejectedError(
            f'The story has changed: chapter "{owner.key}" and its prerequisite '
            f'"{prerequisite}" are no longer in a circle.'
        )
    kept = [key for key in owner.prerequisites if key != prerequisite]
    return set_list(bp, "prerequisites", kept, owner=("chapter", owner.key))


def _waits_for(bp: StoryBlueprint, start: str, target: str) -> bool:
    """Whether chapter ``start`` needs ``target`` first, directly or through other chapters."""
    needs = {chapter.key: chapter.prerequisites for chapter in bp.chapters}
    seen = {start}
    stack = [start]
    while stack:
        key = stack.pop()
        if key == target:
            return True
        for nxt in needs.get(key, []):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False
