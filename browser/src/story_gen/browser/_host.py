"""The seam between the studio service and the browser: storage, clock, ids, other tabs.

:class:`Host` mirrors, method for method, the object ``browser/js/host.mjs``'s ``createHost()``
returns, and speaks only strings (JSON for structured values), so that both sides of the seam
are exercised with the same bytes: the real side is :class:`story_gen.browser._js.JsHost`
(IndexedDB through the JS host), the in-memory side is
:class:`story_gen.browser.memory_host.MemoryHost` (CPython tests, a service with no browser).

Every async method raises :class:`~story_gen.browser._errors.StorageError` on failure, with
``type`` ``"storage.quota"`` when the browser's storage is full.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

__all__ = ["Host"]


class Host(Protocol):
    async def open(self) -> None:
        """Open (create or upgrade) the database and join the other-tabs channel."""

    async def list_summaries(self) -> str:
        """JSON array of every stored StorySummary (trash included)."""

    async def get_story(self, story_id: str) -> str | None:
        """JSON ``{"summary": ..., "story_json": ...}`` or None when there is no such story."""

    async def put_story_if_revision(
        self,
        story_id: str,
        expected_revision: int,
        summary_json: str,
        story_json: str,
        pending_through: int = 0,
    ) -> str:
        """Compare-and-swap, committed with strict durability before returning.

        Stores the summary (whose revision is ``expected_revision + 1``) and the canonical
        story JSON only if the stored revision equals ``expected_revision``
        (0: the story must not exist). Returns JSON ``{"ok": bool, "current": stored | null}``;
        on a lost race ``current`` is the stored head. ``pending_through``: the last pending
        edit the story holds, stored with it; the story's pending edits up to that id are
        deleted in the same transaction.
        """

    async def delete_story(self, story_id: str) -> None:
        """Remove a story for good (emptying the trash), its undo history with it."""

    async def get_history(self, story_id: str) -> str:
        """JSON array of the story's stored undo steps (``StoredStep``), in ``seq`` order."""

    async def put_history(self, story_id: str, steps_json: str, deleted_seqs_json: str) -> None:
        """In one transaction: store the steps (a JSON array; each replaces the step with its
        ``seq``) and delete the steps whose ``seq`` is in the JSON array ``deleted_seqs_json``."""

    async def get_pending(self) -> str:
        """JSON array of every pending edit (``{id, story_id, op, at_utc}``), in id order."""

    async def delete_pending(self, ids_json: str) -> None:
        """Delete the pending edits whose ids are in the JSON array."""

    async def get_meta(self, key: str) -> str | None:
        """The JSON value stored under ``key``, or None."""

    async def set_meta(self, key: str, value_json: str) -> None: ...

    async def request_persist(self) -> bool:
        """Ask the browser not to evict our storage (best effort, never raises)."""

    async def sync_lead(self) -> bool:
        """Return once this tab is the one of its browser profile that syncs (a profile-wide
        Web Lock, held until :meth:`close`): True when elected, False at once when the browser
        has no Web Locks (then every tab syncs). Never raises."""

    def now(self) -> str:
        """The current time, ISO 8601 UTC."""

    def new_id(self) -> str:
        """A fresh uuid4 string."""

    def broadcast(self, message_json: str) -> None:
        """Tell the other tabs (not this one) something changed."""

    def subscribe(self, callback: Callable[[str], None]) -> Callable[[], None]:
        """Receive the other tabs' broadcasts; returns the unsubscribe function."""

    def close(self) -> None: ...
