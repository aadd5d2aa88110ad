"""Every edit a writer can make, as pure functions from a blueprint to a :class:`Patch`.

The studio, the CLI and the server describe a change to a story one way: a key-addressed
patch (``story_gen.core.patch``) made here. Each function checks the edit against the
blueprint and returns an :class:`Edit`: the patch, the edited blueprint (what
``apply_patch(bp, patch)`` gives) and the touched entities (what
``DiagnosisSession.follow`` takes), or raises :class:`EditRejectedError` with what is wrong
and changes nothing.

Domain rules live here, not in the callers: a rename rewrites every reference to the old
key; a removal lists the references it leaves behind (or removes them); keys and texts
are normalised exactly as loading a file does.
"""

from story_gen.core.edits._entities import (
    Edit,
    Removal,
    Renaming,
    add_entity,
    move_entity,
    remove_entity,
    rename_key,
    replace_entity,
    set_field,
    set_premise,
    set_word_target,
)
from story_gen.core.edits._errors import EditRejectedError
from story_gen.core.edits._fixes import (
    CYCLE_CODE,
    FIXABLE_CODES,
    FixAction,
    fix_reference,
    suggested_replacement,
)
from story_gen.core.edits._kinds import (
    COLLECTION,
    DRAFT_FIELDS,
    FIELD_LABELS,
    KIND_OF,
    TEXT_FIELDS,
    EntityKind,
)
from story_gen.core.edits._lists import (
    Owner,
    add_item,
    move_item,
    remove_item,
    remove_relationship,
    set_item,
    set_list,
    set_relationship,
)
from story_gen.core.edits._references import REFERRING, Reference, references

__all__ = [
    "COLLECTION",
    "CYCLE_CODE",
    "DRAFT_FIELDS",
    "FIELD_LABELS",
    "FIXABLE_CODES",
    "KIND_OF",
    "REFERRING",
    "TEXT_FIELDS",
    "Edit",
    "EditRejectedError",
    "EntityKind",
    "FixAction",
    "Owner",
    "Reference",
    "Removal",
    "Renaming",
    "add_entity",
    "add_item",
    "fix_reference",
    "move_entity",
    "move_item",
    "references",
    "remove_entity",
    "remove_item",
    "remove_relationship",
    "rename_key",
    "replace_entity",
    "set_field",
    "set_item",
    "set_list",
    "set_premise",
    "set_relationship",
    "set_word_target",
    "suggested_replacement",
]
