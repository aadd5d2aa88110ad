"""Patches: key-addressed differences between two versions of a story, and their description
(docs/merge.md)."""

from story_gen.core.patch._apply import PatchDoesNotApplyError, apply_patch
from story_gen.core.patch._describe import describe
from story_gen.core.patch._diff import diff
from story_gen.core.patch._model import (
    PATCH_FORMAT,
    DeleteOp,
    InsertOp,
    MoveOp,
    Operation,
    Patch,
    SetOp,
    TextHunk,
    TextOp,
)
from story_gen.core.patch._rebase import rebase

__all__ = [
    "PATCH_FORMAT",
    "DeleteOp",
    "InsertOp",
    "MoveOp",
    "Operation",
    "Patch",
    "PatchDoesNotApplyError",
    "SetOp",
    "TextHunk",
    "TextOp",
    "apply_patch",
    "describe",
    "diff",
    "rebase",
]
