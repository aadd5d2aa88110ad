"""Blobs in a local folder: the embedded default (``work/local/blobs``)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from story_gen.sync_api.blobs import KEY_PREFIX, BlobNotFoundError, BlobStoreUnavailableError

__all__ = ["FolderBlobStore"]


class FolderBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if ".." in key.split("/") or key.startswith("/"):
            raise ValueError(f"invalid blob key {key!r}")
        return self.root / key

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        if path.exists():
            # Already stored (same key, same bytes), but maybe as an orphan the collector is
            # about to take: the row about to reference it makes it young again.
            try:
                os.utime(path)
                return
            except FileNotFoundError:
                pass  # collected just now: store it again
            except OSError as error:
                raise BlobStoreUnavailableError(f"cannot touch blob {key!r}: {error}") from error
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                # link() fails if the name exists: the folder's If-None-Match: *.
                try:
                    os.link(tmp, path)
                except FileExistsError:
                    return
                _fsync_dir(path.parent)
            finally:
                os.unlink(tmp)
        except OSError as error:
            raise BlobStoreUnavailableError(f"cannot write blob {key!r}: {error}") from error

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise BlobNotFoundError(key) from None
        except OSError as error:
            raise BlobStoreUnavailableError(f"cannot read blob {key!r}: {error}") from error

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys_older_than(self, cutoff: datetime) -> Iterator[str]:
        base = self.root / KEY_PREFIX
        if not base.is_dir():
            return
        # ``.incoming-*`` files included: one older than the grace is what a writer killed
        # between writing and linking left behind; no row can reference it, so GC removes it.
        for path in sorted(base.rglob("*")):
            if path.is_file():
                written = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                if written < cutoff:
                    yield path.relative_to(self.root).as_posix()

    def check(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise BlobStoreUnavailableError(f"blob folder {self.root}: {error}") from error
        if not os.access(self.root, os.W_OK):
            raise BlobStoreUnavailableError(f"blob folder {self.root} is not writable")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
