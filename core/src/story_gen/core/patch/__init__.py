"""Patches: key-addressed differences between two versions of a story, and their description
(docs/merge.md)."""

from story_gen.core.patch._apply import PatchDoesNotApplyError, apply_patch, problems, replay
from story_gen.core.patch._describe import describe
from story_gen.core.patch._diff import diff
from story_gen.core.patch._invert import invert
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
from story_gen.core.patch._touched import Applied, Touched, apply_tracked, touched_by

__all__ = [
    "PATCH_FORMAT",
    "Applied",
    "DeleteOp",
    "InsertOp",
    "MoveOp",
    "Operation",
    "Patch",
    "PatchDoesNotApplyError",
    "SetOp",
    "TextHunk",
    "TextOp",
    "Touched",
    "apply_patch",
    "apply_tracked",
    "describe",
    "diff",
    "invert",
    "problems",
    "rebase",
    "replay",
    "touched_by",
]
