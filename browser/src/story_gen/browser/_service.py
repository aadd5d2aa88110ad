"""The studio service: one per tab, over the host's storage (docs/studio-service.md).

:class:`Studio` is the lifecycle (start: open storage, listen to the other tabs, seed the
demos, empty the old trash; close) and the wiring of the parts, each in a module of its own:

- :mod:`._sessions`: the stories open in this tab, and the state a reply gives;
- :mod:`._editing`: edits, labelled changes, undo / redo (the history: :mod:`._history`);
- :mod:`._saving`: compare-and-swap on the stored revision, merging when another tab won;
- :mod:`._tabs`: the other tabs' notices, catching up with what they stored;
- :mod:`._queries`: reads that change nothing;
- :mod:`._messages`: the typed pushes (to the UI) and notices (to the other tabs).

One request (or other-tab notice) at a time: ``lock`` is held around each, so a session is
never read half-updated across an ``await``.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Coroutine
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from story_gen.browser import _analysis
from story_gen.browser._demos import DEMOS, demo_blueprint
from story_gen.browser._editing import Editing
from story_gen.browser._errors import NotFoundError, StorageError, StudioError
from story_gen.browser._host import Host
from story_gen.browser._messages import Notices, Pushes, PushSink
from story_gen.browser._pending import PendingEdits
from story_gen.browser._queries import Queries
from story_gen.browser._records import StorySummary, count_problems
from story_gen.browser._saving import Persistence, Saver
from story_gen.browser._sessions import Session, Sessions
from story_gen.browser._store import DEMOS_SEEDED, LAST_OPENED, StoryStore, build_record
from story_gen.browser._tabs import OtherTabs
from story_gen.browser._views import utc
from story_gen.browser.sync import Http, Syncer
from story_gen.core import Diagnostic, Story

__all__ = ["TRASH_DAYS", "StartResult", "Studio", "demo_story_id"]

TRASH_DAYS = 30
"""A deleted story stays restorable this long, then start() empties it from the trash."""
DEMO_NAMESPACE = uuid.UUID("6f1d2c1e-5b7a-4c11-9a57-0d3f4c1b2a90")


def demo_story_id(key: str) -> UUID:
    """The fixed id of a demo story (the same in every tab and browser)."""
    return uuid.uuid5(DEMO_NAMESPACE, key)


class StartResult(BaseModel):
    """What ``start()`` reports: whether this was the first run and which story to show."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    first_run: bool
    last_opened_story_id: UUID | None
    seeded_story_ids: list[UUID]
    purged_story_ids: list[UUID]


class Studio:
    def __init__(
        self, host: Host, http: Http | None = None, *, sync_in_background: bool = True
    ) -> None:
        self.host = host
        self.store = StoryStore(host)
        self.lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self.pushes = Pushes()
        self.notices = Notices(host)
        self.sessions = Sessions(self.store)
        self.persistence = Persistence(self.store, host.request_persist)
        self.saver = Saver(self.store, self.pushes, self.notices, self.persistence, self.now)
        self.editing = Editing(self.sessions, self.saver, self.pushes, self.now)
        self.tabs = OtherTabs(
            host,
            self.store,
            self.sessions,
            self.saver,
            self.pushes,
            lock=self.lock,
            spawn=self._spawn,
            now=self.now,
        )
        self.queries = Queries(self.store, self.sessions)
        self.pending = PendingEdits(self.store, self.sessions, self.editing)
        self.sync = Syncer(self, http, background=sync_in_background)
        self.notices.on_tell = self.sync.stored

    def now(self) -> datetime:
        return utc(self.host.now())

    def new_story_id(self) -> UUID:
        return UUID(self.host.new_id())

    def set_push_sink(self, sink: PushSink | None) -> None:
        self.pushes.set_sink(sink)

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> StartResult:
        """Open storage and say what to show; as little as possible before the studio is ready.

        On the first run the demo stories are stored AFTER this returns (``_seed``), and the
        edits typed before the core was ready are applied (``_apply_pending``), holding the
        request lock meanwhile, so no request sees the library without them.
        """
        await self.host.open()
        self.tabs.listen()
        self.host.subscribe(self.sync.heard)  # until host.close()
        # Five independent reads, in flight together: each is an IndexedDB round trip, and
        # this is the last thing between a restored interpreter and a ready studio.
        _, _, seeded, summaries, last = await asyncio.gather(
            self.persistence.load(),
            self.sync.load(),
            self.store.get_meta(DEMOS_SEEDED),
            self.store.summaries(),
            self.store.get_meta(LAST_OPENED),
        )
        first_run = not seeded
        purged = await self._empty_trash(summaries)
        live = {str(s.story_id) for s in summaries if not s.deleted and s.story_id not in purged}
        last_id = UUID(last) if isinstance(last, str) and last in live else None
        seeding: list[UUID] = []
        if first_run:
            seeding = [demo_story_id(demo.key) for demo in DEMOS]
            if last is None:
                last_id = seeding[0]
        # Taken now, before anything else can queue for it; released when the demos and the
        # pending edits are in.
        await self.lock.acquire()
        self._spawn(self._settle(first_run))
        return StartResult(
            first_run=first_run,
            last_opened_story_id=last_id,
            seeded_story_ids=seeding,
            purged_story_ids=purged,
        )

    async def _settle(self, first_run: bool) -> None:
        """While ``start()``'s caller gets on (lock held): the first run's demos, then the
        edits typed before the core was ready."""
        try:
            if first_run:
                await self._seed()
            try:
                await self.pending.apply()
            except StudioError as error:
                # Their records stay in IndexedDB: the next start (or pending.apply) retries.
                self.pushes.storage_error(
                    None, error, "The edits typed while starting could not be applied"
                )
        finally:
            self.lock.release()

    async def _seed(self) -> None:
        try:
            seeded = await self._seed_demos()
            await self.store.set_meta(DEMOS_SEEDED, True)
            if seeded and await self.store.get_meta(LAST_OPENED) is None:
                await self.store.set_meta(LAST_OPENED, str(seeded[0]))
        except StudioError as error:
            # Not stored: the library starts empty, and the next start tries again.
            self.pushes.storage_error(None, error, "The demo stories could not be stored")

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
        old = [
            s.story_id
            for s in summaries
            if s.deleted_at_utc is not None and s.deleted_at_utc < cutoff
        ]
        for story_id in old:
            await self.store.purge(str(story_id))
            self.sessions.forget(story_id)
        return old

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
        self.sync.close()
        self.tabs.stop()
        self.host.close()

    # ------------------------------------------------------------ stories in the library

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
        await self.persistence.after_save()
        session = self.sessions.opened(record, story)
        self.notices.tell("library.changed", story.story_id, 1)
        return session

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

    async def trash(self, session: Session, *, deleted_at_utc: datetime | None) -> None:
        """Move a story to the trash (a time) or take it out (None); the other tabs are told."""
        await self.saver.save(session, deleted_at_utc=deleted_at_utc)
        self.notices.tell(
            "library.changed", session.current.story_id, session.head.summary.revision
        )

    async def purge(self, summary: StorySummary) -> None:
        """Remove a story (and its undo history) for good; the other tabs are told."""
        await self.store.purge(str(summary.story_id))
        self.sessions.forget(summary.story_id)
        self.notices.tell("library.changed", summary.story_id, summary.revision)
