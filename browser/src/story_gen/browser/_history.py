"""Undo / redo of one story: steps kept as a patch and its inverse, stored in IndexedDB.

A step is what one Undo reverts (docs/adr/0091-undo-history-as-patches-in-indexeddb.md):

- ``patch`` turns the story before the step into the story after it, ``inverse`` back; both
  are core :class:`~story_gen.core.patch.Patch` es, so they carry what they expect to find
  and an undo after a reload (or after another tab's change) is checked, never blind;
- the last :data:`HISTORY_LIMIT` steps of a story are kept, in IndexedDB store ``history``
  (one record per step, so a keystroke writes one small record, not the whole history);
- typing joins the open step while the writer keeps typing into the same text: a pause
  longer than :data:`TYPING_PAUSE`, the start of a new word, another text, any other change
  or an undo ends it, so one Undo takes back the last words, never a whole long draft.

Opening a story reads only each stored step's head (seq, done, label: :class:`StepHead`), which
is all the stacks and the undo button need; the patches are validated the first time an Undo or
Redo needs one (:meth:`History.fill`). Validating 500 steps' patches cost more than the rest of
opening the story.

This module holds the stacks and the rules; the service applies the patches and the store
writes what :class:`HistoryWrite` says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from story_gen.browser._views import HistoryState
from story_gen.core import StoryBlueprint
from story_gen.core.patch import DeleteOp, InsertOp, Patch, SetOp, TextOp
from story_gen.core.text_rules import WHITESPACE

__all__ = [
    "HISTORY_LIMIT",
    "TYPING_PAUSE",
    "History",
    "HistoryWrite",
    "StepHead",
    "StoredStep",
    "Typing",
    "next_seq",
    "starts_a_word",
    "typed_change",
    "word_start",
]

HISTORY_LIMIT = 500
"""Undo steps kept per story, the oldest dropped first (redo steps are undone ones of them)."""
TYPING_PAUSE = timedelta(seconds=1)
"""A longer pause between two sends of typing ends the step."""


class StoredStep(BaseModel):
    """One undo step as IndexedDB store ``history`` holds it (key ``[story_id, seq]``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    story_id: UUID
    seq: int = Field(
        ge=1, description="Order of the steps of one story; a new step is the highest."
    )
    done: bool = Field(description="True: on the undo stack; false: undone, on the redo stack.")
    label: str = Field(description="What the step changed, in story terms: draft of 'The Storm'.")
    patch: Patch = Field(description="The story before the step -> after it.")
    inverse: Patch = Field(description="After -> before: what Undo applies.")


class StepHead(BaseModel):
    """A stored step without its patches: what the stacks need until an Undo applies one."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    story_id: UUID
    seq: int
    done: bool
    label: str


Step = StoredStep | StepHead


@dataclass(frozen=True)
class Typing:
    """The step typing may still join: which text, when the last send came, and the story
    before the step (so the joined step is one patch from there)."""

    target: str
    seq: int
    before: StoryBlueprint
    after: StoryBlueprint
    at: datetime


@dataclass
class HistoryWrite:
    """What to store after history changes: steps to put (by seq), seqs to delete."""

    put: dict[int, StoredStep] = field(default_factory=dict)
    delete: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.put or self.delete)

    def add(self, later: HistoryWrite) -> None:
        """Fold a later write into this one (a write that failed is retried with the next)."""
        for seq in later.delete:
            self.put.pop(seq, None)
            self.delete.add(seq)
        for seq, step in later.put.items():
            self.put[seq] = step
            self.delete.discard(seq)


@dataclass
class History:
    """One story's undo and redo stacks (top = last) and the step typing may join."""

    story_id: UUID
    undo: list[Step] = field(default_factory=list)
    redo: list[Step] = field(default_factory=list)
    typing: Typing | None = None
    last_seq: int = 0
    """The highest seq this tab used or loaded: a seq is never reused, even after its step
    was dropped."""

    @classmethod
    def of(cls, story_id: UUID, steps: Sequence[Step]) -> History:
        """The stacks from stored steps (any order). Typing never joins a step stored earlier."""
        ordered: list[Step] = sorted(steps, key=lambda s: s.seq)
        return cls(
            story_id=story_id,
            undo=[s for s in ordered if s.done],
            redo=[s for s in reversed(ordered) if not s.done],
            last_seq=ordered[-1].seq if ordered else 0,
        )

    @property
    def partial(self) -> bool:
        """Whether a step on either stack is still only its head (:meth:`fill` completes it)."""
        return any(isinstance(s, StepHead) for s in (*self.undo, *self.redo))

    def fill(self, stored: list[StoredStep]) -> None:
        """Replace each head by its stored step (same seq). A head whose step is gone from
        storage (another tab dropped it) leaves the stacks: it can no longer be applied."""
        by_seq = {s.seq: s for s in stored}
        self.undo = [_full(s, by_seq) for s in self.undo if s.seq in by_seq or _is_full(s)]
        self.redo = [_full(s, by_seq) for s in self.redo if s.seq in by_seq or _is_full(s)]

    def top(self, *, redo: bool) -> StoredStep | None:
        """The step Undo (or Redo) would apply; :meth:`fill` first when :attr:`partial`."""
        stack = self.redo if redo else self.undo
        if not stack:
            return None
        step = stack[-1]
        assert isinstance(step, StoredStep), "fill() the history before applying a step"
        return step

    def state(self) -> HistoryState:
        return HistoryState(
            can_undo=bool(self.undo),
            can_redo=bool(self.redo),
            undo_label=self.undo[-1].label if self.undo else None,
            redo_label=self.redo[-1].label if self.redo else None,
        )

    def open_typing(
        self, target: str | None, current: StoryBlueprint, now: datetime
    ) -> Typing | None:
        """The open typing step a typing edit into ``target`` on ``current`` may join: the
        same text, nothing else changed the story since (``current`` is the step's result),
        no pause. Whether it starts a new word is the caller's next question."""
        open_step = self.typing
        if (
            open_step is None
            or target is None
            or open_step.target != target
            or open_step.after is not current
            or now - open_step.at > TYPING_PAUSE
            or not self.undo
            or self.undo[-1].seq != open_step.seq
        ):
            return None
        return open_step

    def record(
        self,
        label: str,
        patch: Patch,
        inverse: Patch,
        *,
        before: StoryBlueprint,
        after: StoryBlueprint,
        typing: str | None,
        now: datetime,
        joined: Typing | None = None,
    ) -> HistoryWrite:
        """Push a new step (clearing redo), or replace the joined typing step."""
        write = HistoryWrite()
        if joined is not None:
            seq = joined.seq
            self.undo.pop()
        else:
            seq = self.last_seq = next_seq(self.last_seq, now)
            write.delete.update(s.seq for s in self.redo)
            self.redo.clear()
        step = StoredStep(
            story_id=self.story_id, seq=seq, done=True, label=label, patch=patch, inverse=inverse
        )
        self.undo.append(step)
        write.put[seq] = step
        dropped = len(self.undo) - HISTORY_LIMIT
        if dropped > 0:
            write.delete.update(s.seq for s in self.undo[:dropped])
            del self.undo[:dropped]
        self.typing = (
            None
            if typing is None
            else Typing(typing, seq, joined.before if joined else before, after, now)
        )
        return write

    def moved(self, *, redo: bool) -> HistoryWrite:
        """Move the top step from one stack to the other (after its patch was applied)."""
        source, target = (self.redo, self.undo) if redo else (self.undo, self.redo)
        top = source.pop()
        assert isinstance(top, StoredStep), "fill() the history before moving a step"
        step = top.model_copy(update={"done": redo})
        target.append(step)
        self.typing = None
        return HistoryWrite(put={step.seq: step})

    def drop_top(self, *, redo: bool) -> HistoryWrite:
        """Forget the top step (it can no longer be applied)."""
        step = (self.redo if redo else self.undo).pop()
        self.typing = None
        return HistoryWrite(delete={step.seq})

    def interrupt(self) -> None:
        """Something other than typing changed the story: no later keystroke joins a step."""
        self.typing = None


def _is_full(step: Step) -> bool:
    return isinstance(step, StoredStep)


def _full(step: Step, by_seq: dict[int, StoredStep]) -> StoredStep:
    return step if isinstance(step, StoredStep) else by_seq[step.seq]


def next_seq(last: int, now: datetime) -> int:
    """A seq after ``last`` and after every seq handed out before ``now`` by any tab.

    Tabs of one story share its stored history, and a tab does not re-read it before each
    step; seqs drawn from the clock (microseconds, counted on from ``last`` within one)
    keep two tabs from taking the same seq, so neither overwrites the other's step."""
    return max(last + 1, int(now.timestamp() * 1_000_000))


def typed_change(patch: Patch) -> tuple[str, str] | None:
    """The text before and after a typing patch (one text set, one canon rule or voice marker
    rewritten, or one passage of a draft), or None when the patch is not one such change."""
    ops = patch.ops
    if len(ops) == 2:
        removed, added = ops
        if (
            isinstance(removed, DeleteOp)
            and isinstance(added, InsertOp)
            and removed.path == added.path
            and removed.after == added.after
        ):
            return removed.key, added.key  # a list of texts: the text is the element
        return None
    if len(ops) != 1:
        return None
    op = ops[0]
    if isinstance(op, SetOp):
        if isinstance(op.old, str | None) and isinstance(op.new, str | None):
            return op.old or "", op.new or ""
        return None
    if isinstance(op, TextOp) and len(op.hunks) == 1:
        hunk = op.hunks[0]
        # A passage that starts a line starts after a line break (a word boundary).
        return "\n" + "\n".join(hunk.old), "\n" + "\n".join(hunk.new)
    return None


def word_start(old: str, new: str) -> tuple[int, int, int] | None:
    """Where the text typed (``old`` -> ``new``) starts a new word, or None if it starts none.

    Returns ``(start, at, end)``: the typed text is ``new[start:end]``, and its last new word
    begins at ``new[at]`` (``at > start`` when the send also ended the word before, or held
    whole words: typed while a send was in flight). A word starts where something that is not whitespace follows whitespace
    (the one text rule's, :data:`story_gen.core.text_rules.WHITESPACE`); deleting starts none,
    typing at the start of a text does."""
    prefix = 0
    for a, b in zip(old, new, strict=False):
        if a != b:
            break
        prefix += 1
    suffix = 0
    limit = min(len(old), len(new)) - prefix
    while suffix < limit and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    inserted = new[prefix : len(new) - suffix]
    before = old[prefix - 1] if prefix > 0 else " "
    starts = [
        offset
        for offset, (a, b) in enumerate(pairwise(before + inserted))
        if a in WHITESPACE and b not in WHITESPACE
    ]
    return (prefix, prefix + starts[-1], len(new) - suffix) if starts else None


def starts_a_word(old: str, new: str) -> bool:
    """Whether the text typed (``old`` -> ``new``) starts a new word (:func:`word_start`)."""
    return word_start(old, new) is not None
