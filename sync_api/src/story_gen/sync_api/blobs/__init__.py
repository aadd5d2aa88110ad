"""Object storage for revision documents: one Protocol, three implementations.

- :class:`~story_gen.sync_api.blobs.s3.S3BlobStore`: any S3-compatible endpoint via boto3
  (AWS S3, MinIO, Spaces; moto's server in tests).
- :class:`~story_gen.sync_api.blobs.folder.FolderBlobStore`: a local folder, the embedded default.
- :class:`~story_gen.sync_api.blobs.memory.MemoryBlobStore`: unit tests where storage is not
  the point.

Blobs are content-addressed (``revisions/sha256/<hex>``) and immutable: ``put`` never replaces
an existing object (S3: ``If-None-Match: *``; folder: a hard link, which fails if the name
exists). Because the key is the hash of the bytes, a store that ignored the condition would
still only ever "replace" an object with identical bytes.

Errors::

    BlobStoreError
    ├── BlobNotFoundError      the key does not exist
    └── BlobStoreUnavailableError  the store cannot be reached or refused the request
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime
from typing import Protocol

__all__ = [
    "KEY_PREFIX",
    "BlobNotFoundError",
    "BlobStore",
    "BlobStoreError",
    "BlobStoreUnavailableError",
    "content_key",
]

KEY_PREFIX = "revisions/sha256/"


def content_key(data: bytes) -> str:
    return KEY_PREFIX + hashlib.sha256(data).hexdigest()


class BlobStoreError(Exception):
    pass


class BlobNotFoundError(BlobStoreError):
    def __init__(self, key: str) -> None:
        super().__init__(f"blob {key!r} does not exist")
        self.key = key


class BlobStoreUnavailableError(BlobStoreError):
    pass


class BlobStore(Protocol):
    def put(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key`` unless the key exists (blobs are immutable)."""
        ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None:
        """Remove a blob (garbage collection only); a missing key is not an error."""
        ...

    def keys_older_than(self, cutoff: datetime) -> Iterator[str]:
        """Every revision blob last written before ``cutoff`` (aware UTC)."""
        ...

    def check(self) -> None:
        """Raise :class:`BlobStoreUnavailableError` unless the store answers."""
        ...
