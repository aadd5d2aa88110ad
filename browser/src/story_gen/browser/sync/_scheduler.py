"""When the next sync runs: soon after a save, again after a failure with exponential backoff
and full jitter, never two at once, and never in the writer's way (it is a background task;
a request waits for the sync only for the moment a pulled story is stored).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable

__all__ = ["BACKOFF_MAX_SECONDS", "DEBOUNCE_SECONDS", "Scheduler"]

DEBOUNCE_SECONDS = 1.0
"""A burst of typing makes one push, not one per keystroke."""
BACKOFF_BASE_SECONDS = 2.0
BACKOFF_MAX_SECONDS = 300.0


class Scheduler:
    """Runs ``cycle`` (which says whether it reached the API) in the background."""

    def __init__(
        self,
        cycle: Callable[[], Awaitable[bool]],
        *,
        rng: random.Random | None = None,
    ) -> None:
        self._cycle = cycle
        self._rng = rng or random.Random()
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self._backing_off = False
        self.failures = 0
        self.enabled = True

    def backoff(self) -> float:
        """Seconds before the next try after ``failures`` failed ones (full jitter)."""
        ceiling = min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, self.failures - 1))
        return self._rng.uniform(ceiling / 2, ceiling)

    def kick(self, delay: float = DEBOUNCE_SECONDS) -> None:
        """Sync soon (``delay`` seconds); while one runs, once more after it."""
        if not self.enabled:
            return
        if self._task is not None and not self._task.done():
            if not self._backing_off:
                self._again = True
                return
            # Waiting out a failure, and something says "now" (back online, focus): now.
            self._task.cancel()
        self._task = asyncio.ensure_future(self._run(delay))

    async def _run(self, delay: float) -> None:
        await asyncio.sleep(delay)
        while True:
            self._again = False
            reached = await self._cycle()
            if not reached:
                self.failures += 1
                if self.enabled:
                    self._backing_off = True
                    try:
                        await asyncio.sleep(self.backoff())
                    finally:
                        self._backing_off = False
                    continue
                return
            self.failures = 0
            if not self._again:
                return

    async def idle(self) -> None:
        """Wait for the running sync (tests); a backoff wait counts as running."""
        if self._task is not None:
            await self._task

    def stop(self) -> None:
        self.enabled = False
        if self._task is not None:
            self._task.cancel()
            self._task = None
