"""Changing an open story: edits, other labelled changes, undo and redo.

Every change becomes the session's current story, is committed by the
:class:`~story_gen.browser._saving.Saver`, and (when it is the writer's) an undo step: the
change's patch and its inverse (ADR 0091). Typing joins the open step by the rules of
:mod:`._history`; the step is noted after the ``story.diagnosed`` push, so the keystroke's
diagnostics never wait for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from story_gen.browser._edits import EditOp, edit_of, typing_target
from story_gen.browser._errors import EditRejectedError, HistoryError, StorageError
from story_gen.browser._history import HistoryWrite, typed_change, word_start
from story_gen.browser._messages import Pushes, StoryDiagnosed
from story_gen.browser._saving import Saver
from story_gen.browser._sessions import Session, Sessions, story_state
from story_gen.browser._step_labels import label_of
from story_gen.browser._views import StoryState
from story_gen.core import (
    PatchDoesNotApplyError,
    Story,
    StoryBlueprint,
    apply_patch,
    diff,
    rebase,
)
from story_gen.core.document import DocumentEdit, lines_of
from story_gen.core.edits import Edit
from story_gen.core.patch import Patch, TextOp, invert

__all__ = ["Editing", "Replay"]

PENDING_LABEL = "edits typed while the studio started"


@dataclass
class Replay:
    """What :meth:`Editing.replay` did."""

    applied: int = 0
    refused: list[str] = field(default_factory=list)
    saved: bool = True


class Editing:
    def __init__(
        self, sessions: Sessions, saver: Saver, pushes: Pushes, now: Callable[[], datetime]
    ) -> None:
        self._sessions = sessions
        self._saver = saver
        self._pushes = pushes
        self._now = now

    async def edit(
        self,
        story_id: UUID,
        op: EditOp,
        *,
        include_story: bool = True,
        continues_typing: bool = False,
        diagnosed_push_tag: int | None = None,
    ) -> StoryState:
        """Apply one edit op through the core, diagnose it, store it; one undo step."""
        session = await self._sessions.get(story_id)
        before = session.current.blueprint
        edit = edit_of(before, op)
        if not edit.patch.ops:
            await self._saver.retry_unsaved(session)
            return story_state(session, include_story=include_story)
        session.diagnoser.follow(before, edit)
        now = self._now()

        def record() -> None:
            step = _typed_step(session, before, op, edit, continues_typing, now)
            session.history_unsaved.add(step)

        story = session.current.model_copy(
            update={"blueprint": edit.document, "updated_at_utc": now}
        )
        return await self._commit(
            session,
            story,
            include_story=include_story,
            diagnosed_push_tag=diagnosed_push_tag,
            record=record,
        )

    async def change(self, session: Session, story: Story, *, label: str | None) -> StoryState:
        """Make ``story`` this session's current story and commit it; one undo step when
        labelled (its patch is the diff of the blueprints)."""
        before, after = session.current.blueprint, story.blueprint
        if label is not None and before != after:
            _record_whole_step(session, label, before, after, self._now())
        return await self._commit(session, story)

    async def replay(self, session: Session, ops: list[EditOp], *, through: int) -> Replay:
        """Apply edits typed before the core was ready, in order, as one undo step, and store
        the story with ``through`` (the last op's pending id), which deletes their records in
        the same transaction. An op the core refuses is skipped and reported."""
        before = session.current.blueprint
        blueprint = before
        done = Replay()
        targets: set[str | None] = set()
        last: EditOp | None = None
        for op in ops:
            try:
                edit = edit_of(blueprint, op)
            except EditRejectedError as error:
                done.refused.append(str(error))
                continue
            if not edit.patch.ops:
                continue
            session.diagnoser.follow(blueprint, edit)
            blueprint = edit.document
            done.applied += 1
            targets.add(typing_target(op))
            last = op
        session.pending_applied = max(session.pending_applied, through)
        now = self._now()
        story = session.current
        if blueprint is not before:
            story = story.model_copy(update={"blueprint": blueprint, "updated_at_utc": now})
            one_text = last is not None and len(targets) == 1 and None not in targets
            label = label_of(before, blueprint, last) if one_text and last else PENDING_LABEL
            _record_whole_step(session, label, before, blueprint, now)
        try:
            await self._commit(session, story)
        except StorageError:
            done.saved = False  # kept in the session, pushed as storage.error, retried later
        return done

    async def undo(self, story_id: UUID, *, redo: bool = False) -> StoryState:
        """Apply the top step's inverse (undo) or patch (redo) to the story as it is now.

        The patch says what it expects to find. Where the story moved on since (another tab,
        a merge, a reload onto a newer revision) it is rebased; if that would collide with
        the later change, nothing changes, the step is dropped and ``history.diverged`` says
        why: an undo never overwrites work it did not make."""
        session = await self._sessions.get(story_id)
        history = await self._sessions.full_history(session)
        step = history.top(redo=redo)
        if step is None:
            raise HistoryError(f"There is nothing to {'redo' if redo else 'undo'} in this story.")
        patch = step.patch if redo else step.inverse
        try:
            restored = apply_patch(session.current.blueprint, patch)
        except PatchDoesNotApplyError:
            restored = await self._rebased(session, patch, redo=redo, label=step.label)
        session.history_unsaved.add(history.moved(redo=redo))
        story = session.current.model_copy(
            update={"blueprint": restored, "updated_at_utc": self._now()}
        )
        return await self._commit(session, story)

    async def _rebased(
        self, session: Session, patch: Patch, *, redo: bool, label: str
    ) -> StoryBlueprint:
        try:
            result = rebase(session.current.blueprint, patch)
        except PatchDoesNotApplyError:
            result = None
        if result is not None and not result.conflicts:
            return result.merged
        session.history_unsaved.add(session.history.drop_top(redo=redo))
        await self._saver.store_history(session)
        doing = "redo" if redo else "undo"
        raise HistoryError(
            f"Cannot {doing} the change to the {label}: it was changed again since (in another "
            f"tab or by a merge), and {doing}ing would overwrite that. The step was removed "
            "from the history; change the text by hand instead.",
            type="history.diverged",
        )

    async def _commit(
        self,
        session: Session,
        story: Story,
        *,
        include_story: bool = True,
        diagnosed_push_tag: int | None = None,
        record: Callable[[], None] | None = None,
    ) -> StoryState:
        """Make ``story`` current, push its diagnostics when asked, store it and the history.

        ``diagnosed_push_tag``: push ``story.diagnosed`` (with this tag) before committing.
        ``record``: note the undo step, after the push and before the commit.
        """
        session.current = story
        session.merged = False
        if diagnosed_push_tag is not None:
            # The diagnostics do not wait for storage; "saved" (the reply) still does.
            diagnoser = session.diagnoser
            delta = diagnoser.delta(story.blueprint)
            self._pushes.push(
                "story.diagnosed",
                StoryDiagnosed(
                    story_id=story.story_id,
                    tag=diagnosed_push_tag,
                    diagnostics_version=diagnoser.version,
                    diagnostics=diagnoser.sent(story.blueprint) if delta is None else None,
                    delta=delta,
                    problem_counts=diagnoser.counts(),
                ),
            )
        if record is not None:
            record()
        await self._saver.save(session)
        return story_state(
            session, include_story=include_story, diagnostics_pushed=diagnosed_push_tag is not None
        )


def _record_whole_step(
    session: Session, label: str, before: StoryBlueprint, after: StoryBlueprint, now: datetime
) -> None:
    """One undo step from ``before`` to ``after`` as a whole (its patch is their diff)."""
    session.history_unsaved.add(
        session.history.record(
            label,
            diff(before, after),
            diff(after, before),
            before=before,
            after=after,
            typing=None,
            now=now,
        )
    )


def _typed_step(
    session: Session,
    before: StoryBlueprint,
    op: EditOp,
    edit: Edit,
    continues_typing: bool,
    now: datetime,
) -> HistoryWrite:
    """Record ``edit`` (made on ``before``) as an undo step, fold it into the typing step it
    continues, or both: a send that ends one word and starts another (typed while a send was
    in flight) is split where its last word starts, what comes before joining the open step."""
    after = edit.document
    target = typing_target(op)
    history = session.history
    label = label_of(before, after, op)
    open_step = history.open_typing(target, before, now) if continues_typing else None
    change = typed_change(edit.patch) if open_step is not None else None
    if open_step is not None and change is not None:
        word = word_start(*change)
        if word is None:
            # One step from where the typing started: its patch and inverse span the burst.
            return history.record(
                label,
                diff(open_step.before, after),
                diff(after, open_step.before),
                before=before,
                after=after,
                typing=target,
                now=now,
                joined=open_step,
            )
        middle = _up_to_word(before, op, edit, *change, word)
        if middle is not None:
            write = history.record(
                label,
                diff(open_step.before, middle),
                diff(middle, open_step.before),
                before=before,
                after=middle,
                typing=target,
                now=now,
                joined=open_step,
            )
            write.add(
                history.record(
                    label,
                    diff(middle, after),
                    diff(after, middle),
                    before=middle,
                    after=after,
                    typing=target,
                    now=now,
                )
            )
            return write
    return history.record(
        label,
        edit.patch,
        invert(before, edit.patch, after=after),
        before=before,
        after=after,
        typing=target,
        now=now,
    )


def _up_to_word(
    before: StoryBlueprint,
    op: EditOp,
    edit: Edit,
    old: str,
    new: str,
    word: tuple[int, int, int],
) -> StoryBlueprint | None:
    """The story with the send typed up to where its new word starts, or None when the send
    starts with the word (nothing to split) or the text cannot be rebuilt."""
    start, at, end = word
    if at == start:
        return None
    text = new[:at] + new[end:]
    [first, *_] = edit.patch.ops
    if isinstance(first, TextOp):
        # ``old`` / ``new`` are one passage of the draft (after a line break): put it back.
        [hunk] = first.hunks
        draft = DocumentEdit(edit.document).get(first.path)
        lines = lines_of(draft if isinstance(draft, str) else None)
        text = "\n".join(
            [*lines[: hunk.at], *text[1:].split("\n"), *lines[hunk.at + len(hunk.new) :]]
        )
    field = "description" if op.op == "set_relationship" else "value"
    try:
        middle = edit_of(before, op.model_copy(update={field: text})).document
    except EditRejectedError:
        return None
    return None if middle in (before, edit.document) else middle
