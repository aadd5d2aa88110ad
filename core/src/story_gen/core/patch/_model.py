"""The patch format (``story_gen.patch/1``): a list of operations addressed by key paths.

Every operation names what it changes by key (``chapters[mad-tea-party].objective``),
never by list index, and carries what it expects to find there (``old``, ``was``, the
draft's ``base`` hash), so a patch can tell that it no longer applies cleanly, and so
that :func:`rebase` can rebuild the patch's view of the base and merge three-way
instead of overwriting. A one-field edit of a 5,000-chapter story is one operation
of a few hundred bytes. docs/adr/0040-key-addressed-patches-with-expectations.md records
why it looks like this.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

__all__ = [
    "PATCH_FORMAT",
    "DeleteOp",
    "InsertOp",
    "MoveOp",
    "Operation",
    "Patch",
    "SetOp",
    "TextHunk",
    "TextOp",
]

PATCH_FORMAT: Literal["story_gen.patch/1"] = "story_gen.patch/1"


class _Op(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SetOp(_Op):
    """Replace a scalar (``premise``, ``chapters[x].objective``), a relationship's text
    (``characters[a].relationships[b]``) or a conflict (``conflicts[id]``)."""

    op: Literal["set"]
    path: str
    old: JsonValue = None
    new: JsonValue = None


class InsertOp(_Op):
    """Add ``key`` to the list at ``path`` right after ``after`` (None: at the start).

    ``value`` is the new entity / relationship text / conflict; a key list or canon
    rule list needs none (``key`` is the element)."""

    op: Literal["ins"]
    path: str
    key: str
    after: str | None = None
    value: JsonValue = None


class DeleteOp(_Op):
    """Remove ``key`` from the list at ``path``; ``old`` (its value) and ``after`` (its
    predecessor) are what the patch expects, and what a rebase restores to see the base."""

    op: Literal["del"]
    path: str
    key: str
    after: str | None = None
    old: JsonValue = None


class MoveOp(_Op):
    """Move ``key`` right after ``after`` (None: to the start); ``was`` is its predecessor before."""

    op: Literal["mv"]
    path: str
    key: str
    after: str | None = None
    was: str | None = None


class TextHunk(_Op):
    """Lines ``at .. at + len(old)`` of the base draft, ``old``, become ``new``.

    ``ctx`` holds short hashes of the base lines just before and just after (``""`` at
    either end): enough to find the passage again in a draft that changed elsewhere,
    without carrying the neighbouring paragraphs."""

    at: int = Field(ge=0)
    old: list[str] = Field(default_factory=list)
    new: list[str] = Field(default_factory=list)
    ctx: tuple[str, str] = ("", "")


class TextOp(_Op):
    """A line-level edit of a draft; ``base`` is a hash of the whole draft it was made on."""

    op: Literal["text"]
    path: str
    base: str
    hunks: list[TextHunk]


Operation = Annotated[SetOp | InsertOp | DeleteOp | MoveOp | TextOp, Field(discriminator="op")]


class Patch(BaseModel):
    """The difference between two versions of a Story (or of a blueprint), in order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["story_gen.patch/1"] = PATCH_FORMAT
    ops: list[Operation] = Field(default_factory=list)
