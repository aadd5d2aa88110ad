"""Edit operations: the small typed language the editor speaks, translated to core edits.

Every op addresses themes, characters and chapters by KEY, never by position, so an edit made
on one revision still means the same thing on another (after another tab's change, after an
undo). Canon rules and voice markers have no keys; they are addressed by index.

The op models are the studio's message protocol (web/ generates its types from them); what
an op does is :mod:`story_gen.core.edits`'s: each op is one call there, returning the
:class:`~story_gen.core.edits.Edit` (patch, blueprint, touched entities) that the diagnoser
follows. A refusal comes back as :class:`~story_gen.browser._errors.EditRejectedError`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from story_gen.browser._errors import EditRejectedError
from story_gen.core import StoryBlueprint, format_path
from story_gen.core import edits as core
from story_gen.core.keys import normalize_key

__all__ = [
    "TEXT_OPS",
    "EditOp",
    "EntityKind",
    "Reference",
    "apply_edit",
    "edit_of",
    "references",
    "typing_target",
]

EntityKind = core.EntityKind


class _Op(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class SetPremise(_Op):
    op: Literal["set_premise"]
    value: str


class SetWordTarget(_Op):
    """Set the manuscript's word target; null clears it."""

    op: Literal["set_word_target"]
    value: int | None


class FixReference(_Op):
    """A Problems panel fix: replace the unknown reference a diagnostic points at with the key
    the core suggests (``replacement``: the one the writer was shown), remove it, or create the
    theme, character or chapter it names; for a ``chapter.cycle`` problem, remove the
    prerequisite it points at."""

    op: Literal["fix_reference"]
    code: str
    path: str
    action: Literal["replace", "remove", "create"]
    replacement: str | None = None


class SetField(_Op):
    """Set one scalar field of a theme (statement, priority), character (role, motivation) or
    chapter (title, objective, draft_text)."""

    op: Literal["set_field"]
    kind: EntityKind
    key: str
    field: str
    value: str | int | None


class AddCanonRule(_Op):
    op: Literal["add_canon_rule"]
    value: str
    index: int | None = Field(default=None, description="Insert position; null appends.")


class SetCanonRule(_Op):
    op: Literal["set_canon_rule"]
    index: int
    value: str


class RemoveCanonRule(_Op):
    op: Literal["remove_canon_rule"]
    index: int


class MoveCanonRule(_Op):
    op: Literal["move_canon_rule"]
    from_index: int
    to_index: int


class AddVoiceMarker(_Op):
    op: Literal["add_voice_marker"]
    character: str
    value: str
    index: int | None = None


class SetVoiceMarker(_Op):
    op: Literal["set_voice_marker"]
    character: str
    index: int
    value: str


class RemoveVoiceMarker(_Op):
    op: Literal["remove_voice_marker"]
    character: str
    index: int


class MoveVoiceMarker(_Op):
    op: Literal["move_voice_marker"]
    character: str
    from_index: int
    to_index: int


class AddEntity(_Op):
    """Add a theme, character or chapter; ``entity`` is its JSON (at least ``key``)."""

    op: Literal["add_entity"]
    kind: EntityKind
    entity: dict[str, JsonValue]
    index: int | None = Field(default=None, description="Insert position; null appends.")


class RemoveEntity(_Op):
    """Remove an entity. References to it stay (and diagnose reports them) unless
    ``remove_references`` is true."""

    op: Literal["remove_entity"]
    kind: EntityKind
    key: str
    remove_references: bool = False


class MoveEntity(_Op):
    op: Literal["move_entity"]
    kind: EntityKind
    key: str
    to_index: int


class SetList(_Op):
    """Replace a list field: a chapter's required_themes / participating_characters /
    prerequisites (keys), or a character's voice_markers."""

    op: Literal["set_list"]
    kind: Literal["character", "chapter"]
    key: str
    field: str
    value: list[str]


class SetRelationship(_Op):
    op: Literal["set_relationship"]
    character: str
    other: str
    description: str


class RemoveRelationship(_Op):
    op: Literal["remove_relationship"]
    character: str
    other: str


class RenameKey(_Op):
    """Rename a theme, character or chapter key and every reference to it."""

    op: Literal["rename_key"]
    kind: EntityKind
    old_key: str
    new_key: str


EditOp = Annotated[
    SetPremise
    | SetWordTarget
    | FixReference
    | SetField
    | AddCanonRule
    | SetCanonRule
    | RemoveCanonRule
    | MoveCanonRule
    | AddVoiceMarker
    | SetVoiceMarker
    | RemoveVoiceMarker
    | MoveVoiceMarker
    | AddEntity
    | RemoveEntity
    | MoveEntity
    | SetList
    | SetRelationship
    | RemoveRelationship
    | RenameKey,
    Field(discriminator="op"),
]


class Reference(BaseModel):
    """One place that refers to a key: where it is and which entity holds it."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    path: str = Field(description="JSON path, as diagnostics give it: chapters[3].prerequisites[0]")
    owner_kind: Literal["character", "chapter"]
    owner_key: str
    field: Literal["required_themes", "participating_characters", "prerequisites", "relationships"]


# ---------------------------------------------------------------- ops -> core edits

_EDIT: dict[str, Callable[[StoryBlueprint, Any], core.Edit]] = {
    "set_premise": lambda bp, op: core.set_premise(bp, op.value),
    "set_word_target": lambda bp, op: core.set_word_target(bp, op.value),
    "fix_reference": lambda bp, op: core.fix_reference(
        bp, op.code, op.path, op.action, op.replacement
    ),
    "set_field": lambda bp, op: core.set_field(bp, op.kind, op.key, op.field, op.value),
    "add_canon_rule": lambda bp, op: core.add_item(bp, "canon_rules", op.value, index=op.index),
    "set_canon_rule": lambda bp, op: core.set_item(bp, "canon_rules", op.index, op.value),
    "remove_canon_rule": lambda bp, op: core.remove_item(bp, "canon_rules", op.index),
    "move_canon_rule": lambda bp, op: core.move_item(bp, "canon_rules", op.from_index, op.to_index),
    "add_voice_marker": lambda bp, op: core.add_item(
        bp, "voice_markers", op.value, owner=("character", op.character), index=op.index
    ),
    "set_voice_marker": lambda bp, op: core.set_item(
        bp, "voice_markers", op.index, op.value, owner=("character", op.character)
    ),
    "remove_voice_marker": lambda bp, op: core.remove_item(
        bp, "voice_markers", op.index, owner=("character", op.character)
    ),
    "move_voice_marker": lambda bp, op: core.move_item(
        bp, "voice_markers", op.from_index, op.to_index, owner=("character", op.character)
    ),
    "add_entity": lambda bp, op: core.add_entity(bp, op.kind, dict(op.entity), op.index),
    "remove_entity": lambda bp, op: core.remove_entity(
        bp, op.kind, op.key, remove_references=op.remove_references
    ),
    "move_entity": lambda bp, op: core.move_entity(bp, op.kind, op.key, op.to_index),
    "set_list": lambda bp, op: core.set_list(bp, op.field, op.value, owner=(op.kind, op.key)),
    "set_relationship": lambda bp, op: core.set_relationship(
        bp, op.character, op.other, op.description
    ),
    "remove_relationship": lambda bp, op: core.remove_relationship(bp, op.character, op.other),
    "rename_key": lambda bp, op: core.rename_key(bp, op.kind, op.old_key, op.new_key),
}


def edit_of(bp: StoryBlueprint, op: EditOp) -> core.Edit:
    """The core edit ``op`` makes on ``bp``; raises EditRejectedError (nothing changes)."""
    try:
        return _EDIT[op.op](bp, op)
    except core.EditRejectedError as error:
        raise EditRejectedError(str(error)) from None


def apply_edit(bp: StoryBlueprint, op: EditOp) -> StoryBlueprint:
    """The blueprint after ``op``; raises EditRejectedError (and changes nothing) if it can't."""
    return edit_of(bp, op).document


TEXT_OPS: tuple[str, ...] = tuple(
    model.model_fields["op"].annotation.__args__[0]  # type: ignore[union-attr]
    for model in (SetPremise, SetField, SetCanonRule, SetVoiceMarker, SetRelationship)
)
"""The ops that write one text (with a text value, a :func:`typing_target`): the ones the UI
may keep before the core is ready and show applied at once (exported in the web's RULES)."""


def typing_target(op: EditOp) -> str | None:
    """The one text a typing op writes (``premise``, ``chapter:intro:title``...), or None.

    Keystrokes sent as the writer types are grouped into one undo step per target, so undo
    reverts a burst of typing at once, not a letter.
    """
    match op:
        case SetPremise():
            return "premise"
        case SetField(value=str() | None):
            return f"{op.kind}:{normalize_key(op.key)}:{op.field}"
        case SetCanonRule():
            return f"canon_rules:{op.index}"
        case SetVoiceMarker():
            return f"voice_markers:{normalize_key(op.character)}:{op.index}"
        case SetRelationship():
            return f"relationships:{normalize_key(op.character)}:{normalize_key(op.other)}"
        case _:
            return None


# ---------------------------------------------------------------- references


def references(bp: StoryBlueprint, kind: EntityKind, raw_key: str) -> list[Reference]:
    """Every place in ``bp`` that refers to the ``kind`` with ``raw_key`` (existing or not),
    one per list item, with the index paths diagnostics give (the core lists the fields)."""
    key = normalize_key(raw_key)
    found: list[Reference] = []
    for ref in core.references(bp, kind, key):
        collection = core.COLLECTION[ref.owner_kind]
        owners = getattr(bp, collection)
        index = next(i for i, owner in enumerate(owners) if owner.key == ref.owner_key)
        value = getattr(owners[index], ref.field)
        places: list[str | int] = (
            [key] if isinstance(value, dict) else [i for i, v in enumerate(value) if v == key]
        )
        found.extend(
            Reference(
                path=format_path([collection, index, ref.field, place]),
                owner_kind=ref.owner_kind,  # type: ignore[arg-type]
                owner_key=ref.owner_key,
                field=ref.field,  # type: ignore[arg-type]
            )
            for place in places
        )
    # Chapters' references first, then relationships: the order the studio has always shown.
    found.sort(key=lambda ref: ref.owner_kind != "chapter")
    return found
