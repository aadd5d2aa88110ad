"""The studio service: stories in the host's storage, one session per open story, other tabs.

Rules it keeps (docs/studio-service.md explains them):

- An accepted edit is committed (strict durability) before the reply says ``saved``.
- An edit is never dropped: if storage fails (quota, any IndexedDB error) the edit stays in
  the session (``saved: false``), the reply is a ``storage.*`` error, a ``storage.error`` push
  tells the UI, and the next save of that story (next edit, ``story.save``, an other tab's
  notice) writes it.
- Writes are compare-and-swap on the stored revision. When another tab wrote first, the
  service three-way merges (base = the revision this tab's work started from, ours = this
  tab's story, theirs = the stored head) with the core's merge, stores the merge, pushes
  ``story.changed`` and tells the other tabs.
- One request (or other-tab notice) at a time: a lock around each, so a session is never
  read half-updated across an ``await``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import traceback
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from story_gen.browser import _analysis
from story_gen.browser._demos import DEMOS, demo_blueprint
from story_gen.browser._edits import EditOp, edit_of, typing_target
from story_gen.browser._errors import HistoryError, NotFoundError, StorageError, StudioError
from story_gen.browser._history import History, HistoryWrite
from story_gen.browser._host import Host
from story_gen.browser._records import ProblemCounts, StoredStory, StorySummary, count_problems
from story_gen.browser._step_labels import label_of
from story_gen.browser._store import (
    DEMOS_SEEDED,
    LAST_OPENED,
    PERSIST_REQUESTED,
    StoryStore,
    build_record,
)
from story_gen.browser._views import StoryState, utc
from story_gen.core import (
    Diagnostic,
    PatchDoesNotApplyError,
    Story,
    StoryBlueprint,
    apply_patch,
    diff,
    rebase,
)
from story_gen.core.edits import Edit
from story_gen.core.patch import Patch, invert

__all__ = ["Session", "Studio"]

TRASH_DAYS = 30
"""A deleted story stays restorable this long, then start() empties it from the trash."""
CAS_ATTEMPTS = 8
DEMO_NAMESPACE = uuid.UUID("6f1d2c1e-5b7a-4c11-9a57-0d3f4c1b2a90")


def demo_story_id(key: str) -> UUID:
    """The fixed id of a demo story (the same in every tab and browser)."""
    return uuid.uuid5(DEMO_NAMESPACE, key)


class Keep(Enum):
    """``save(deleted_at_utc=Keep.KEEP)``: leave the story's trash state as stored."""

    KEEP = "keep"


@dataclass
class Session:
    """One open story in this tab.

    ``head`` is the last stored revision this tab knows (the merge base for its next write);
    ``current`` is what the writer sees, ahead of ``head`` while a save is pending or failed.
    """

    head: StoredStory
    head_story: Story
    current: Story
    diagnoser: _analysis.Diagnoser
    history: History
    history_unsaved: HistoryWrite = field(default_factory=HistoryWrite)
    """History changes not stored yet (a failed write is retried with the next one)."""
    unsaved: StorageError | None = None
    merged: bool = False

    @property
    def story_id(self) -> str:
        return str(self.head.summary.story_id)

    @property
    def dirty(self) -> bool:
        return self.current is not self.head_story


class StartResult(BaseModel):
    """What ``start()`` reports: whether this was the first run and which story to show."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    first_run: bool
    last_opened_story_id: UUID | None
    seeded_story_ids: list[UUID]
    purged_story_ids: list[UUID]


PushSink = Callable[[str], None]


class Studio:
    def __init__(self, host: Host) -> None:
        self.host = host
        self.store = StoryStore(host)
        self.sessions: dict[str, Session] = {}
        self.lock = asyncio.Lock()
        self._push: PushSink | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._persist_requested = False
        self._tasks: set[asyncio.Task[None]] = set()

    # ------------------------------------------------------------ lifecycle

    def set_push_sink(self, sink: PushSink | None) -> None:
        self._push = sink

    def push(self, name: str, args: BaseModel) -> None:
        if self._push is not None:
            self._push(
                f'{{"type":"push","name":{json.dumps(name)},"args":{args.model_dump_json()}}}'
            )

    async def start(self) -> StartResult:
        """Open storage and say what to show; as little as possible before the studio is ready.

        On the first run the demo stories are stored AFTER this returns (``_seed``), holding
        the request lock meanwhile, so no request sees the library without them.
        """
        await self.host.open()
        if self._unsubscribe is None:
            self._unsubscribe = self.host.subscribe(self._on_broadcast)
        self._persist_requested = bool(await self.store.get_meta(PERSIST_REQUESTED))
        first_run = not await self.store.get_meta(DEMOS_SEEDED)
        summaries = await self.store.summaries()
        purged = await self._empty_trash(summaries)
        live = {str(s.story_id) for s in summaries if not s.deleted and s.story_id not in purged}
        last = await self.store.get_meta(LAST_OPENED)
        last_id = UUID(last) if isinstance(last, str) and last in live else None
        seeding: list[UUID] = []
        if first_run:
            seeding = [demo_story_id(demo.key) for demo in DEMOS]
            if last is None:
                last_id = seeding[0]
            # Taken now, before anything else can queue for it; released when the demos are in.
            await self.lock.acquire()
            self._spawn(self._seed())
        return StartResult(
            first_run=first_run,
            last_opened_story_id=last_id,
            seeded_story_ids=seeding,
            purged_story_ids=purged,
        )

    async def _seed(self) -> None:
        """The first run's demos, stored while ``start()``'s caller gets on (lock held)."""
        try:
            seeded = await self._seed_demos()
            await self.store.set_meta(DEMOS_SEEDED, True)
            if seeded and await self.store.get_meta(LAST_OPENED) is None:
                await self.store.set_meta(LAST_OPENED, str(seeded[0]))
        except StudioError as error:
            # Not stored: the library starts empty, and the next start tries again.
            self.push(
                "storage.error",
                StorageErrorPush(
                    story_id=None,
                    type=error.type,
                    message=f"The demo stories could not be stored: {error.message}",
                ),
            )
        finally:
            self.lock.release()

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def idle(self) -> None:
        """Wait until the first run's demos are stored and every other-tab notice received so
        far has been handled."""
        while self._tasks:
            tasks = list(self._tasks)
            await asyncio.gather(*tasks)
            # Dropped here, not only by their done callbacks: a callback runs later, and until
            # then awaiting the finished tasks again need not yield (Pyodide's loop does not),
            # which spun this loop forever.
            self._tasks.difference_update(tasks)

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.host.close()

    async def _seed_demos(self) -> list[UUID]:
        seeded: list[UUID] = []
        now = self.now()
        for demo in DEMOS:
            # A fixed id per demo: two tabs seeding at once race on the same key, and the
            # compare-and-swap lets exactly one of them create each demo story.
            story = Story.new(
                story_id=demo_story_id(demo.key),
                title=demo.title,
                blueprint=demo_blueprint(demo.key),
                now=now,
            )
            diagnostics = _analysis.diagnose_blueprint(story.blueprint)
            record = build_record(story, revision=1, problem_counts=count_problems(diagnostics))
            outcome = await self.store.put_if_revision(record, 0)
            if outcome.ok:
                seeded.append(story.story_id)
        return seeded

    async def _empty_trash(self, summaries: list[StorySummary]) -> list[UUID]:
        cutoff = self.now() - timedelta(days=TRASH_DAYS)
        purged: list[UUID] = []
        for summary in summaries:
            if summary.deleted_at_utc is not None and summary.deleted_at_utc < cutoff:
                await self.store.purge(str(summary.story_id))
                self.sessions.pop(str(summary.story_id), None)
                purged.append(summary.story_id)
        return purged

    # ------------------------------------------------------------ helpers

    def now(self) -> datetime:
        return utc(self.host.now())

    async def session(self, story_id: UUID | str, *, allow_deleted: bool = False) -> Session:
        """The open session for a story, loading it from storage the first time."""
        key = str(story_id)
        session = self.sessions.get(key)
        if session is None:
            stored = await self.store.get(key)
            if stored is None:
                raise NotFoundError(f"There is no story with the id {key}.")
            story = stored.story()
            session = Session(
                head=stored,
                head_story=story,
                current=story,
                diagnoser=_analysis.Diagnoser(story.blueprint),
                history=History.of(story.story_id, await self.store.history(key)),
            )
            self.sessions[key] = session
        if session.head.summary.deleted and not allow_deleted:
            raise NotFoundError(
                f"The story {session.current.title!r} is in the trash; restore it to edit it."
            )
        return session

    def state(
        self, session: Session, *, include_story: bool = True, diagnostics_pushed: bool = False
    ) -> StoryState:
        """``diagnostics_pushed``: a story.diagnosed push gave the current story's diagnostics
        (left out of the reply unless a merge changed the story since)."""
        diagnostics = session.diagnoser.diagnose(session.current.blueprint)
        return StoryState(
            story_id=session.current.story_id,
            revision=session.head.summary.revision,
            story=session.current if include_story or session.merged else None,
            diagnostics=None if diagnostics_pushed and not session.merged else diagnostics,
            problem_counts=session.diagnoser.counts(),
            history=session.history.state(),
            saved=not session.dirty,
            unsaved_reason=session.unsaved.message if session.unsaved else None,
            merged=session.merged,
            deleted_at_utc=session.head.summary.deleted_at_utc,
        )

    async def create(self, story: Story, diagnostics: list[Diagnostic] | None = None) -> Session:
        """Store a brand-new story (revision 1) and open a session on it."""
        found = (
            diagnostics
            if diagnostics is not None
            else _analysis.diagnose_blueprint(story.blueprint)
        )
        record = build_record(story, revision=1, problem_counts=count_problems(found))
        outcome = await self.store.put_if_revision(record, 0)
        if not outcome.ok:  # a uuid4 collision: vanishingly rare, and nothing is lost
            raise StorageError(f"a story with the id {story.story_id} already exists")
        await self._after_first_save()
        session = Session(
            head=record,
            head_story=story,
            current=story,
            diagnoser=_analysis.Diagnoser(story.blueprint),
            history=History(story.story_id),
        )
        self.sessions[str(story.story_id)] = session
        self.host.broadcast(_notice("library.changed", story.story_id, 1))
        return session

    async def _after_first_save(self) -> None:
        if not self._persist_requested:
            self._persist_requested = True
            await self.host.request_persist()
            # Asked once in this session anyway; asking again next time is harmless.
            with contextlib.suppress(StorageError):
                await self.store.set_meta(PERSIST_REQUESTED, True)

    # ------------------------------------------------------------ writing

    async def change(
        self,
        session: Session,
        story: Story,
        *,
        label: str | None,
        include_story: bool = True,
        diagnosed_push_tag: int | None = None,
    ) -> StoryState:
        """Make ``story`` this session's current story and commit it; one undo step when
        labelled (its patch is the diff of the blueprints)."""
        before, after = session.current.blueprint, story.blueprint
        if label is not None and before != after:
            session.history_unsaved.add(
                session.history.record(
                    label,
                    diff(before, after),
                    diff(after, before),
                    before=before,
                    after=after,
                    typing=None,
                    now=self.now(),
                )
            )
        return await self._commit(
            session, story, include_story=include_story, diagnosed_push_tag=diagnosed_push_tag
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
        ``record``: note the undo step, after the push (the diagnostics do not wait for it)
        and before the commit.
        """
        session.current = story
        session.merged = False
        if diagnosed_push_tag is not None:
            # The diagnostics do not wait for storage; "saved" (the reply) still does.
            self.push(
                "story.diagnosed",
                StoryDiagnosed(
                    story_id=story.story_id,
                    tag=diagnosed_push_tag,
                    diagnostics=session.diagnoser.diagnose(story.blueprint),
                    problem_counts=session.diagnoser.counts(),
                ),
            )
        if record is not None:
            record()
        await self.save(session)
        return self.state(
            session, include_story=include_story, diagnostics_pushed=diagnosed_push_tag is not None
        )

    async def _store_history(self, session: Session) -> None:
        """Store the history changes after the story: the story is what must not be lost; a
        step that fails to store stays in this tab and goes with the next write."""
        write = session.history_unsaved
        if not write:
            return
        try:
            await self.store.write_history(session.story_id, write)
        except StorageError:
            return
        session.history_unsaved = HistoryWrite()

    async def save(
        self, session: Session, *, deleted_at_utc: datetime | Keep | None = Keep.KEEP
    ) -> None:
        """Commit the session's current story after its head; merge when another tab won.

        On a storage failure the story stays in ``session.current`` (``saved: false``),
        a ``storage.error`` push tells the UI, and the StorageError propagates to the reply.
        """
        keep = isinstance(deleted_at_utc, Keep)
        deleted = (
            session.head.summary.deleted_at_utc
            if isinstance(deleted_at_utc, Keep)
            else deleted_at_utc
        )
        if not session.dirty and deleted == session.head.summary.deleted_at_utc:
            return
        base = session.head_story
        expected = session.head.summary.revision
        ours = session.current
        merged = False
        try:
            for _ in range(CAS_ATTEMPTS):
                session.diagnoser.diagnose(ours.blueprint)
                record = build_record(
                    ours,
                    revision=expected + 1,
                    problem_counts=session.diagnoser.counts(),
                    deleted_at_utc=deleted,
                )
                outcome = await self.store.put_if_revision(record, expected)
                if outcome.ok:
                    session.head, session.head_story, session.current = record, ours, ours
                    break
                theirs = outcome.current
                if theirs is None:
                    # Emptied from the trash by another tab while we edited: store ours
                    # again as a new first revision rather than lose it.
                    expected = 0
                    continue
                their_story = theirs.story()
                ours = _analysis.merge_stories(base, ours, their_story, now=self.now())
                base, expected, merged = their_story, theirs.summary.revision, True
                if keep:
                    deleted = theirs.summary.deleted_at_utc
            else:
                raise StorageError("the story kept changing in other tabs; try again")
        except StorageError as error:
            if merged:
                # Keep the merge (it holds both tabs' work) as what the writer sees.
                session.current = ours
            session.unsaved = error
            self.push(
                "storage.error",
                StorageErrorPush(
                    story_id=session.current.story_id, type=error.type, message=error.message
                ),
            )
            raise
        session.unsaved = None
        session.merged = merged
        await self._after_first_save()
        # Before the notice: the other tabs hear of the change once everything is written.
        await self._store_history(session)
        self.host.broadcast(_notice("story.saved", session.current.story_id, expected + 1))
        if merged:
            self.push("story.changed", self.state(session))

    async def retry_unsaved(self, session: Session) -> None:
        if session.dirty:
            await self.save(session)

    async def edit(
        self,
        story_id: UUID,
        op: EditOp,
        *,
        include_story: bool = True,
        continues_typing: bool = False,
        diagnosed_push_tag: int | None = None,
    ) -> StoryState:
        session = await self.session(story_id)
        before = session.current.blueprint
        edit = edit_of(before, op)
        if not edit.patch.ops:
            await self.retry_unsaved(session)
            return self.state(session, include_story=include_story)
        after = edit.document
        session.diagnoser.follow(before, edit)
        now = self.now()

        def record() -> None:
            step = self._typed_step(session, before, op, edit, continues_typing, now)
            session.history_unsaved.add(step)

        story = session.current.model_copy(update={"blueprint": after, "updated_at_utc": now})
        return await self._commit(
            session,
            story,
            include_story=include_story,
            diagnosed_push_tag=diagnosed_push_tag,
            record=record,
        )

    @staticmethod
    def _typed_step(
        session: Session,
        before: StoryBlueprint,
        op: EditOp,
        edit: Edit,
        continues_typing: bool,
        now: datetime,
    ) -> HistoryWrite:
        """Record ``edit`` (made on ``before``) as an undo step, or fold it into the typing
        step it continues."""
        after = edit.document
        target = typing_target(op)
        history = session.history
        joined = history.joins(target, before, edit.patch, now) if continues_typing else None
        if joined is not None:
            # One step from where the typing started: its patch and inverse span the burst.
            patch, inverse = diff(joined.before, after), diff(after, joined.before)
        else:
            patch, inverse = edit.patch, invert(before, edit.patch, after=after)
        return history.record(
            label_of(before, after, op),
            patch,
            inverse,
            before=before,
            after=after,
            typing=target,
            now=now,
            joined=joined,
        )

    async def undo(self, story_id: UUID, *, redo: bool = False) -> StoryState:
        """Apply the top step's inverse (undo) or patch (redo) to the story as it is now.

        The patch says what it expects to find. Where the story moved on since (another tab,
        a merge, a reload onto a newer revision) it is rebased; if that would collide with
        the later change, nothing changes, the step is dropped and ``history.diverged`` says
        why: an undo never overwrites work it did not make."""
        session = await self.session(story_id)
        history = session.history
        stack = history.redo if redo else history.undo
        doing = "redo" if redo else "undo"
        if not stack:
            raise HistoryError(f"There is nothing to {doing} in this story.")
        step = stack[-1]
        patch = step.patch if redo else step.inverse
        current = session.current.blueprint
        try:
            restored = apply_patch(current, patch)
        except PatchDoesNotApplyError:
            restored = await self._rebased(session, patch, redo=redo, label=step.label)
        session.history_unsaved.add(history.moved(redo=redo))
        story = session.current.model_copy(
            update={"blueprint": restored, "updated_at_utc": self.now()}
        )
        return await self._commit(session, story)

    async def _rebased(
        self, session: Session, patch: Patch, *, redo: bool, label: str
    ) -> StoryBlueprint:
        current = session.current.blueprint
        try:
            result = rebase(current, patch)
        except PatchDoesNotApplyError:
            result = None
        if result is not None and not result.conflicts:
            return result.merged
        session.history_unsaved.add(session.history.drop_top(redo=redo))
        await self._store_history(session)
        doing = "redo" if redo else "undo"
        raise HistoryError(
            f"Cannot {doing} the change to the {label}: it was changed again since (in another "
            f"tab or by a merge), and {doing}ing would overwrite that. The step was removed "
            "from the history; change the text by hand instead.",
            type="history.diverged",
        )

    # ------------------------------------------------------------ other tabs

    def _on_broadcast(self, message: str) -> None:
        self._spawn(self._handle_broadcast(message))

    async def _handle_broadcast(self, message: str) -> None:
        try:
            notice = Notice.model_validate_json(message)
        except ValidationError:
            return  # not ours (another app on the channel) or from a newer studio
        try:
            async with self.lock:
                await self._apply_notice(notice)
        except StudioError as error:
            self.push(
                "storage.error",
                StorageErrorPush(story_id=notice.story_id, type=error.type, message=error.message),
            )
        except Exception as error:
            traceback.print_exc()
            self.push(
                "storage.error",
                StorageErrorPush(story_id=notice.story_id, type="internal", message=str(error)),
            )

    async def _apply_notice(self, notice: Notice) -> None:
        self.push("library.changed", LibraryChanged(story_id=notice.story_id))
        session = self.sessions.get(str(notice.story_id))
        if session is None or notice.revision <= session.head.summary.revision:
            return
        with contextlib.suppress(NotFoundError):
            await self.catch_up(session, push=True)

    async def catch_up(self, session: Session, *, push: bool = False) -> None:
        """Take in whatever other tabs stored since this tab's head (a notice may be missed:
        a tab that was asleep); this tab's unsaved work is merged onto it, never dropped."""
        stored = await self.store.get(session.story_id)
        if stored is None:
            if session.dirty:
                return  # our kept work will store it again as a new story on the next save
            self.sessions.pop(session.story_id, None)
            raise NotFoundError(f"The story {session.current.title!r} was deleted for good.")
        if stored.summary.revision <= session.head.summary.revision:
            return
        theirs = stored.story()
        if session.dirty:
            # Our unsaved work merges onto their head; then we try to store the merge.
            merged = _analysis.merge_stories(
                session.head_story, session.current, theirs, now=self.now()
            )
            session.head, session.head_story, session.current = stored, theirs, merged
            session.merged = True
            # A failure is already pushed as storage.error; the work stays in the session.
            with contextlib.suppress(StorageError):
                await self.save(session)
        else:
            session.head, session.head_story, session.current = stored, theirs, theirs
            session.merged = True
        if push:
            self.push("story.changed", self.state(session))

    # ------------------------------------------------------------ queries used by handlers

    async def summaries(self) -> list[StorySummary]:
        return await self.store.summaries()

    async def current_story(self, story_id: UUID) -> Story:
        """The story as this tab holds it (unsaved edits included), without opening a session."""
        session = self.sessions.get(str(story_id))
        if session is not None:
            return session.current
        stored = await self.store.get(str(story_id))
        if stored is None:
            raise NotFoundError(f"There is no story with the id {story_id}.")
        return stored.story()

    async def remember_opened(self, story_id: UUID) -> None:
        # Only a convenience for the next visit: never fail an open over it.
        with contextlib.suppress(StorageError):
            await self.store.set_meta(LAST_OPENED, str(story_id))

    def new_story_id(self) -> UUID:
        return UUID(self.host.new_id())

    async def open_demo_copy(self, key: str, title: str | None) -> Session:
        demo = next((d for d in DEMOS if d.key == key), None)
        if demo is None:
            known = ", ".join(d.key for d in DEMOS)
            raise NotFoundError(f"There is no demo story {key!r}; the demos are: {known}.")
        story = Story.new(
            story_id=self.new_story_id(),
            title=title or demo.title,
            blueprint=demo_blueprint(key),
            now=self.now(),
        )
        return await self.create(story)


# ------------------------------------------------------------ messages


class Notice(BaseModel):
    """What one tab tells the others on the BroadcastChannel."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    type: Literal["story.saved", "library.changed"]
    story_id: UUID
    revision: int


def _notice(kind: Literal["story.saved", "library.changed"], story_id: UUID, revision: int) -> str:
    return Notice(type=kind, story_id=story_id, revision=revision).model_dump_json()


class StorageErrorPush(BaseModel):
    """Push ``storage.error``: a save failed; the edit is kept in this tab (``saved: false``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    story_id: UUID | None
    type: str
    message: str


class StoryDiagnosed(BaseModel):
    """Push ``story.diagnosed``: an edit asked for it (``diagnosed_push_tag``) is applied and
    diagnosed, and is being stored; the reply, after the commit, says ``saved``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    story_id: UUID
    tag: int = Field(description="The request's diagnosed_push_tag, echoed.")
    diagnostics: list[Diagnostic]
    problem_counts: ProblemCounts


class LibraryChanged(BaseModel):
    """Push ``library.changed``: another tab changed the library; re-list it."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    story_id: UUID | None = None
