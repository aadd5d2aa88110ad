"""What an edit returns: the patch, the edited blueprint and the entities it touched.

The patch is what travels (undo history, the sync API, another tab); the blueprint and the
touched keys are what the caller needs right away: ``DiagnosisSession.follow`` takes the
result as it is, and nobody re-applies the patch to a 1,000-chapter blueprint per keystroke.
``apply_patch(before, edit.patch)`` gives ``edit.document`` (the tests check it).
"""

from __future__ import annotations

from dataclasses import dataclass

from story_gen.core.blueprint import StoryBlueprint
from story_gen.core.patch import Applied, Patch, touched_by

__all__ = ["Edit", "edit_result"]


@dataclass(frozen=True, slots=True)
class Edit(Applied[StoryBlueprint]):
    """``document``: the blueprint after the edit; ``touched``: what changed; ``patch``."""

    patch: Patch


def edit_result(after: StoryBlueprint, patch: Patch) -> Edit:
    return Edit(document=after, touched=touched_by(patch), patch=patch)
