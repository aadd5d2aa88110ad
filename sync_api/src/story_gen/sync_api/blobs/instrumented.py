"""A blob store that counts its failures in the metrics, around any other store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TypeVar

from story_gen.sync_api.blobs import BlobStore, BlobStoreUnavailableError

__all__ = ["InstrumentedBlobStore"]

T = TypeVar("T")


class InstrumentedBlobStore:
    """Delegates to ``inner``; each :class:`BlobStoreUnavailableError` is reported to
    ``on_error(operation)`` and raised again. A missing key is an answer, not a failure."""

    def __init__(self, inner: BlobStore, on_error: Callable[[str], None]) -> None:
        self.inner = inner
        self._on_error = on_error

    def _counted(self, operation: str, work: Callable[[], T]) -> T:
        try:
            return work()
        except BlobStoreUnavailableError:
            self._on_error(operation)
            raise

    def put(self, key: str, data: bytes) -> None:
        self._counted("put", lambda: self.inner.put(key, data))

    def get(self, key: str) -> bytes:
        return self._counted("get", lambda: self.inner.get(key))

    def delete(self, key: str) -> None:
        self._counted("delete", lambda: self.inner.delete(key))

    def keys_older_than(self, cutoff: datetime) -> Iterator[str]:
        iterator = iter(self.inner.keys_older_than(cutoff))
        while True:
            try:
                key = self._counted("list", lambda: next(iterator))
            except StopIteration:
                return
            yield key

    def check(self) -> None:
        self._counted("check", self.inner.check)

    def reset_connections(self) -> None:
        reset = getattr(self.inner, "reset_connections", None)
        if callable(reset):
            reset()
