"""``resolve(story, conflict_id, choice)``: a writer settles one conflict; the story drops it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, JsonValue

from story_gen.core.document import MISSING, DocumentEdit, EditError
from story_gen.core.story import Story

__all__ = ["ConflictResolutionError", "NewValue", "resolve"]


class NewValue(BaseModel):
    """A value the writer typed instead of either side's (for an ``order`` conflict: the keys)."""

    model_config = ConfigDict(frozen=True)

    value: JsonValue


class ConflictResolutionError(ValueError):
    """The conflict does not exist, or the chosen value does not fit; the story is unchanged."""


def resolve(story: Story, conflict_id: str, choice: Literal["ours", "theirs"] | NewValue) -> Story:
    """A new Story with ``choice`` written at the conflict's path and the conflict removed.

    The value replaces whatever the path holds now, including edits made there after
    the merge (the writer chose it looking at the conflict); an entity deleted since is
    re-created to hold it. For an entity or a relationship, ``None`` deletes it.
    """
    found = next((c for c in story.conflicts if c.conflict_id == conflict_id), None)
    if found is None:
        known = ", ".join(c.conflict_id for c in story.conflicts) or "none"
        raise ConflictResolutionError(
            f"the story has no conflict {conflict_id!r} (its conflicts: {known}); "
            "it may have been resolved already"
        )
    if isinstance(choice, NewValue):
        value = choice.value
    elif choice == "ours":
        value = found.ours
    elif choice == "theirs":
        value = found.theirs
    else:
        raise ConflictResolutionError(
            f"choice must be 'ours', 'theirs' or NewValue(value=...), not {choice!r}"
        )
    edit = DocumentEdit(story)
    try:
        if found.kind == "order":
            if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
                raise EditError(f"{found.path}: an order is a list of keys, not {value!r}")
            if edit.get(found.path) is not MISSING:  # else the list's owner is gone: no order
                edit.items(found.path).reorder([k for k in value if isinstance(k, str)])
        else:
            # An entity deleted since the merge is re-created to hold the chosen value:
            # the writer asked for that value, and it must not vanish.
            edit.set(found.path, value, create=True)
        edit.items("conflicts").remove(conflict_id)
        resolved = edit.build()
    except EditError as error:
        raise ConflictResolutionError(f"cannot resolve conflict {conflict_id}: {error}") from None
    assert isinstance(resolved, Story)
    return resolved
