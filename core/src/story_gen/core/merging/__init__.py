"""Three-way merge of stories and blueprints, and conflict resolution (docs/merge.md)."""

from story_gen.core.merging._merge import MergeResult, StoryMismatchError, merge
from story_gen.core.merging._resolve import ConflictResolutionError, NewValue, resolve

__all__ = [
    "ConflictResolutionError",
    "MergeResult",
    "NewValue",
    "StoryMismatchError",
    "merge",
    "resolve",
]
