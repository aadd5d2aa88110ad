"""When to try a request again, and how long to wait: exponential backoff with full jitter.

Only requests that are safe to repeat are retried: reads, and pushes (the server answers a
repeated ``change_id`` from storage, never with a second revision). ``Retry-After`` from the
server (429, 503) wins over the computed delay.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

__all__ = ["RETRY_STATUSES", "RetryPolicy"]

RETRY_STATUSES = frozenset({429, 502, 503, 504})
"""Answers that mean "not now" rather than "no"."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    """Tries in all (1: never retry)."""
    base_delay: float = 0.25
    max_delay: float = 8.0
    rng: random.Random = field(default_factory=random.Random, compare=False)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed try number ``attempt`` (1-based)."""
        if retry_after is not None:
            return min(retry_after, self.max_delay * 4)
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return self.rng.uniform(0, ceiling)

    def retries_status(self, status: int) -> bool:
        return status in RETRY_STATUSES
