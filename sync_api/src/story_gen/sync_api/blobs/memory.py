"""An in-memory blob store for unit tests where the real store is not the point."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime

from story_gen.sync_api.blobs import BlobNotFoundError, BlobStoreUnavailableError
from story_gen.sync_api.clock import Clock, SystemClock

__all__ = ["MemoryBlobStore"]


class MemoryBlobStore:
    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock or SystemClock()
        self._blobs: dict[str, tuple[bytes, datetime]] = {}
        self._lock = threading.Lock()
        self.available = True
        """Set to False to make every call fail as an unreachable store would."""

    def _ensure_up(self) -> None:
        if not self.available:
            raise BlobStoreUnavailableError("the in-memory blob store is switched off")

    def put(self, key: str, data: bytes) -> None:
        self._ensure_up()
        with self._lock:
            # An existing key keeps its bytes but becomes young again (see folder.py).
            stored = self._blobs.get(key, (bytes(data), self._clock.now()))[0]
            self._blobs[key] = (stored, self._clock.now())

    def get(self, key: str) -> bytes:
        self._ensure_up()
        try:
            return self._blobs[key][0]
        except KeyError:
            raise BlobNotFoundError(key) from None

    def delete(self, key: str) -> None:
        self._ensure_up()
        with self._lock:
            self._blobs.pop(key, None)

    def keys_older_than(self, cutoff: datetime) -> Iterator[str]:
        self._ensure_up()
        with self._lock:
            items = list(self._blobs.items())
        return iter([key for key, (_, written) in items if written < cutoff])

    def check(self) -> None:
        self._ensure_up()
