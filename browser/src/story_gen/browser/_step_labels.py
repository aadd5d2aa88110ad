"""What an undo step changed, in the words a writer uses: "draft of 'The Storm'".

The Undo button's tooltip reads ``Undo: <label>``. Chapters are named by title, themes and
characters by their display name (each by its key when it has none); field names come from the core's shape table
(``Field.noun``), so a field the core adds is named without a table here.
"""

from __future__ import annotations

from story_gen.browser._edits import EditOp
from story_gen.core import StoryBlueprint
from story_gen.core.document import BLUEPRINT, Field
from story_gen.core.edits import COLLECTION, CYCLE_CODE, FIXABLE_CODES, EntityKind
from story_gen.core.keys import normalize_key

__all__ = ["label_of"]


def _name(bp: StoryBlueprint, kind: str, raw_key: str) -> str:
    key = normalize_key(raw_key)
    if kind == "chapter":
        chapter = next((c for c in bp.chapters if c.key == key), None)
        if chapter is not None and chapter.title:
            return f"'{chapter.title}'"
    named = bp.themes if kind == "theme" else bp.characters if kind == "character" else []
    entity = next((e for e in named if e.key == key), None)
    if entity is not None and entity.name:
        return f"'{entity.name}'"
    return f"{kind} '{key}'"


def _noun(kind: EntityKind, name: str) -> str:
    entities = next(f for f in BLUEPRINT.fields if f.name == COLLECTION[kind])
    assert entities.shape is not None
    found = entities.shape.find(name)
    field: Field | None = found[0] if found is not None else None
    return field.noun if field is not None else name.replace("_", " ")


def label_of(before: StoryBlueprint, after: StoryBlueprint, op: EditOp) -> str:
    """The step label of ``op`` (made on ``before``, giving ``after``)."""
    # The story the writer now sees names the entity (a retitled chapter by its new title),
    # unless the op removed it.
    seen = after
    match op.op:
        case "set_premise":
            return "premise"
        case "set_field":
            return f"{_noun(op.kind, op.field)} of {_name(seen, op.kind, op.key)}"
        case "add_canon_rule" | "set_canon_rule" | "remove_canon_rule" | "move_canon_rule":
            return "canon rules"
        case "add_voice_marker" | "set_voice_marker" | "remove_voice_marker" | "move_voice_marker":
            return f"voice of {_name(seen, 'character', op.character)}"
        case "add_entity":
            key = str(op.entity.get("key", ""))
            return f"new {op.kind} {_name(seen, op.kind, key).removeprefix(f'{op.kind} ')}"
        case "remove_entity":
            return f"deleting {_name(before, op.kind, op.key)}"
        case "move_entity":
            return f"moving {_name(seen, op.kind, op.key)}"
        case "set_list":
            return f"{_noun(op.kind, op.field)}s of {_name(seen, op.kind, op.key)}"
        case "set_relationship" | "remove_relationship":
            one, other = normalize_key(op.character), normalize_key(op.other)
            return f"relationship of '{one}' and '{other}'"
        case "set_word_target":
            return "manuscript word target"
        case "fix_reference":
            if op.code == CYCLE_CODE:
                return "removing a prerequisite from a circle"
            if op.action == "create" and op.code in FIXABLE_CODES:
                return f"creating the missing {FIXABLE_CODES[op.code][1]}"
            if op.action == "replace" and op.replacement:
                return f"replacing an unknown reference with '{normalize_key(op.replacement)}'"
            return "removing an unknown reference"
    # rename_key: the last op (mypy checks that the match covers every op).
    old, new = normalize_key(op.old_key), normalize_key(op.new_key)
    return f"renaming {op.kind} '{old}' to '{new}'"
