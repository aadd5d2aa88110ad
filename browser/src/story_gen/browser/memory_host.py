"""The in-memory side of the :class:`~story_gen.browser._host.Host` seam.

It behaves like the JS host over IndexedDB, byte for byte at the seam (the same JSON in and
out, the same compare-and-swap, the same error types), so the studio service runs and is
tested on CPython with no browser. Several hosts over one :class:`MemoryDatabase` are several
tabs of one browser profile: they share the stories and hear each other's broadcasts (never
their own, like a BroadcastChannel).

Two knobs model what a browser does that a dict does not: ``quota_bytes`` (writes that would
store more than that many bytes fail with ``storage.quota``, as IndexedDB does when the
origin's quota is used up) and ``commit_gate`` (commits wait until the event is set, to observe
what happens while a write is in flight).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from story_gen.browser._errors import STORAGE_QUOTA, StorageError

__all__ = ["MemoryDatabase", "MemoryHost"]


@dataclass
class MemoryDatabase:
    """One browser profile's story database, shared by every :class:`MemoryHost` (tab) on it."""

    quota_bytes: int | None = None
    commit_gate: asyncio.Event | None = None
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    bodies: dict[str, dict[str, Any]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    history: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    """Undo steps by ``(story_id, seq)``, as IndexedDB store ``history`` keys them."""
    pending: dict[int, dict[str, Any]] = field(default_factory=dict)
    """Edits typed before the core was ready, by id (IndexedDB store ``pending``)."""
    last_pending_id: int = 0
    commits: list[tuple[str, int]] = field(default_factory=list)
    """``(story_id, revision)`` of every committed story write, in commit order."""
    persist_requests: int = 0
    web_locks: bool = True
    """False: a browser without Web Locks (every tab syncs, no election)."""
    sync_leader: MemoryHost | None = None
    """The tab holding the profile's sync lock; the others wait in ``_sync_waiters``."""
    _sync_waiters: list[tuple[MemoryHost, asyncio.Future[bool]]] = field(default_factory=list)
    _hosts: list[MemoryHost] = field(default_factory=list)

    def used_bytes(self) -> int:
        return (
            sum(len(body["story_json"].encode()) for body in self.bodies.values())
            + sum(len(json.dumps(summary)) for summary in self.summaries.values())
            + sum(len(json.dumps(step)) for step in self.history.values())
            + sum(len(json.dumps(edit)) for edit in self.pending.values())
        )

    def add_pending(self, story_id: str, op: dict[str, Any], at_utc: str) -> int:
        """Append an edit typed before the core was ready, as the UI thread's
        ``openPendingQueue().add`` does; its id is the next of the store's auto-increment."""
        self.last_pending_id += 1
        record = {"id": self.last_pending_id, "story_id": story_id, "op": op, "at_utc": at_utc}
        self.pending[self.last_pending_id] = record
        return self.last_pending_id


def _quota_error(doing: str) -> StorageError:
    return StorageError(
        f"The browser's storage for this site is full, so {doing} failed. "
        "Free some space (delete old stories or other site data) and try again.",
        type=STORAGE_QUOTA,
    )


class MemoryHost:
    """A tab's host over a shared :class:`MemoryDatabase`."""

    def __init__(
        self,
        database: MemoryDatabase | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        new_id: Callable[[], str] | None = None,
    ) -> None:
        self.database = database if database is not None else MemoryDatabase()
        self._clock = clock or (lambda: datetime.now(UTC))
        self._new_id = new_id or (lambda: str(uuid.uuid4()))
        self._subscribers: list[Callable[[str], None]] = []
        self._open = False

    async def open(self) -> None:
        if not self._open:
            self._open = True
            self.database._hosts.append(self)

    async def _commit(self) -> None:
        gate = self.database.commit_gate
        if gate is not None:
            await gate.wait()
        else:
            await asyncio.sleep(0)  # a commit is never synchronous in IndexedDB either

    async def list_summaries(self) -> str:
        return json.dumps(list(self.database.summaries.values()))

    async def get_story(self, story_id: str) -> str | None:
        summary = self.database.summaries.get(story_id)
        body = self.database.bodies.get(story_id)
        if summary is None or body is None:
            return None
        return json.dumps(
            {
                "summary": summary,
                "story_json": body["story_json"],
                "pending_through": body.get("pending_through", 0),
            }
        )

    async def put_story_if_revision(
        self,
        story_id: str,
        expected_revision: int,
        summary_json: str,
        story_json: str,
        pending_through: int = 0,
    ) -> str:
        summary = json.loads(summary_json)
        if summary.get("story_id") != story_id or summary.get("revision") != expected_revision + 1:
            raise StorageError(f"record for {story_id} is malformed")
        current = self.database.summaries.get(story_id)
        current_revision = 0 if current is None else int(current["revision"])
        if current_revision != expected_revision:
            return json.dumps(
                {"ok": False, "current": json.loads(await self.get_story(story_id) or "null")}
            )
        quota = self.database.quota_bytes
        if quota is not None:
            old = self.database.bodies.get(story_id)
            old_size = 0 if old is None else len(old["story_json"].encode())
            old_summary = 0 if current is None else len(json.dumps(current))
            grown = len(story_json.encode()) + len(json.dumps(summary))
            if self.database.used_bytes() - old_size - old_summary + grown > quota:
                raise _quota_error("saving the story")
        await self._commit()
        # Re-check after the commit wait: another tab may have written meanwhile, and the
        # real host does the check and the writes in one transaction.
        current = self.database.summaries.get(story_id)
        if (0 if current is None else int(current["revision"])) != expected_revision:
            return json.dumps(
                {"ok": False, "current": json.loads(await self.get_story(story_id) or "null")}
            )
        self.database.bodies[story_id] = {
            "story_id": story_id,
            "revision": summary["revision"],
            "story_json": story_json,
            "pending_through": pending_through,
        }
        self._delete_applied(story_id, pending_through)
        self.database.summaries[story_id] = summary
        self.database.commits.append((story_id, int(summary["revision"])))
        return json.dumps({"ok": True, "current": None})

    async def delete_story(self, story_id: str) -> None:
        await self._commit()
        self.database.summaries.pop(story_id, None)
        self.database.bodies.pop(story_id, None)
        for key in [k for k in self.database.history if k[0] == story_id]:
            del self.database.history[key]
        self._delete_applied(story_id, None)

    def _delete_applied(self, story_id: str, through: int | None) -> None:
        """The story's pending edits up to ``through`` (None: all), in the story's transaction."""
        for key, edit in list(self.database.pending.items()):
            if edit["story_id"] == story_id and (through is None or key <= through):
                del self.database.pending[key]

    async def get_pending(self) -> str:
        return json.dumps([self.database.pending[key] for key in sorted(self.database.pending)])

    async def delete_pending(self, ids_json: str) -> None:
        await self._commit()
        for key in json.loads(ids_json):
            self.database.pending.pop(int(key), None)

    async def get_history(self, story_id: str) -> str:
        steps = sorted(
            (key[1], step) for key, step in self.database.history.items() if key[0] == story_id
        )
        return json.dumps([step for _, step in steps])

    async def put_history(self, story_id: str, steps_json: str, deleted_seqs_json: str) -> None:
        steps = json.loads(steps_json)
        deleted = json.loads(deleted_seqs_json)
        if any(step.get("story_id") != story_id for step in steps):
            raise StorageError(f"undo steps for {story_id} are malformed")
        quota = self.database.quota_bytes
        if quota is not None and steps:
            grown = sum(len(json.dumps(step)) for step in steps)
            if self.database.used_bytes() + grown > quota:
                raise _quota_error("saving the undo history")
        await self._commit()
        for seq in deleted:
            self.database.history.pop((story_id, int(seq)), None)
        for step in steps:
            self.database.history[(story_id, int(step["seq"]))] = step

    async def get_meta(self, key: str) -> str | None:
        if key not in self.database.meta:
            return None
        return json.dumps(self.database.meta[key])

    async def set_meta(self, key: str, value_json: str) -> None:
        await self._commit()
        self.database.meta[key] = json.loads(value_json)

    async def request_persist(self) -> bool:
        self.database.persist_requests += 1
        return True

    async def sync_lead(self) -> bool:
        database = self.database
        if not database.web_locks:
            return False
        if database.sync_leader is None:
            database.sync_leader = self
            return True
        waiting: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        database._sync_waiters.append((self, waiting))
        return await waiting

    def _let_go_of_sync(self) -> None:
        database = self.database
        database._sync_waiters = [(h, f) for h, f in database._sync_waiters if h is not self]
        if database.sync_leader is not self:
            return
        database.sync_leader = None
        while database._sync_waiters:
            host, waiting = database._sync_waiters.pop(0)
            if not waiting.done():
                database.sync_leader = host
                waiting.set_result(True)
                return

    def now(self) -> str:
        return self._clock().astimezone(UTC).isoformat().replace("+00:00", "Z")

    def new_id(self) -> str:
        return self._new_id()

    def broadcast(self, message_json: str) -> None:
        loop = asyncio.get_running_loop()
        for host in self.database._hosts:
            if host is not self:
                for callback in list(host._subscribers):
                    loop.call_soon(callback, message_json)

    def subscribe(self, callback: Callable[[str], None]) -> Callable[[], None]:
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def close(self) -> None:
        self._subscribers.clear()
        self._let_go_of_sync()
        if self in self.database._hosts:
            self.database._hosts.remove(self)
        self._open = False
