"""The blob store contract, held by every implementation: S3 over HTTP, folder, memory."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from hypothesis import given
from hypothesis import strategies as st

from story_gen.sync_api.blobs import (
    BlobNotFoundError,
    BlobStore,
    BlobStoreUnavailableError,
    content_key,
)
from story_gen.sync_api.blobs.folder import FolderBlobStore
from story_gen.sync_api.blobs.memory import MemoryBlobStore
from story_gen.sync_api.blobs.s3 import S3BlobStore
from story_gen.sync_api.clock import SystemClock


@pytest.fixture(params=["s3", "folder", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BlobStore]:
    if request.param == "s3":
        yield S3BlobStore(
            bucket=request.getfixturevalue("s3_bucket"),
            endpoint_url=request.getfixturevalue("s3_endpoint"),
            prefix="test/",
        )
    elif request.param == "folder":
        yield FolderBlobStore(tmp_path / "blobs")
    else:
        yield MemoryBlobStore()


def test_put_get_roundtrip_and_content_addressing(store: BlobStore) -> None:
    data = b'{"title": "x"}\n'
    key = content_key(data)
    assert key.startswith("revisions/sha256/")
    store.put(key, data)
    assert store.get(key) == data


def test_blobs_are_immutable(store: BlobStore) -> None:
    key = content_key(b"first")
    store.put(key, b"first")
    store.put(key, b"an attempt to overwrite")  # must not replace
    assert store.get(key) == b"first"


def test_missing_blob(store: BlobStore) -> None:
    with pytest.raises(BlobNotFoundError):
        store.get(content_key(b"never stored"))


def test_listing_old_blobs_and_delete(store: BlobStore) -> None:
    key = content_key(b"old")
    store.put(key, b"old")
    now = SystemClock().now()
    assert key in set(store.keys_older_than(now + timedelta(minutes=5)))
    assert key not in set(store.keys_older_than(now - timedelta(minutes=5)))
    store.delete(key)
    store.delete(key)  # deleting twice is fine
    with pytest.raises(BlobNotFoundError):
        store.get(key)
    store.check()


def test_s3_put_really_sends_if_none_match(s3_endpoint: str, s3_bucket: str) -> None:
    """The endpoint itself refuses a second conditional put (not just our client)."""
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.put_object(Bucket=s3_bucket, Key="k", Body=b"1", IfNoneMatch="*")
    with pytest.raises(client.exceptions.ClientError) as raised:
        client.put_object(Bucket=s3_bucket, Key="k", Body=b"2", IfNoneMatch="*")
    assert raised.value.response["Error"]["Code"] == "PreconditionFailed"


def test_unreachable_s3_is_unavailable_not_a_crash() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dead = S3BlobStore(bucket="b", endpoint_url=f"http://127.0.0.1:{port}")
    with pytest.raises(BlobStoreUnavailableError):
        dead.put(content_key(b"x"), b"x")
    with pytest.raises(BlobStoreUnavailableError):
        dead.check()


@given(st.binary(max_size=2048))
def test_folder_roundtrip_any_bytes(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as root:
        store = FolderBlobStore(Path(root))
        key = content_key(data)
        store.put(key, data)
        store.put(key, data)
        assert store.get(key) == data


def test_a_put_of_an_existing_blob_makes_it_young_again(store: BlobStore) -> None:
    # An orphan older than the GC grace, stored again by a push whose row is about to commit,
    # must not be collected under that row (issue 13, item 9).
    import time

    key = content_key(b"again")
    store.put(key, b"again")
    time.sleep(2.1)
    # A second of slack: S3's LastModified has one-second resolution, file times are coarse.
    cutoff = SystemClock().now() - timedelta(seconds=1)
    assert key in set(store.keys_older_than(cutoff))
    store.put(key, b"again")
    assert key not in set(store.keys_older_than(cutoff))
    assert store.get(key) == b"again"


def test_a_temp_file_left_by_a_killed_writer_is_listed_for_collection(tmp_path: Path) -> None:
    import os

    store = FolderBlobStore(tmp_path / "blobs")
    key = content_key(b"kept")
    store.put(key, b"kept")
    left = (tmp_path / "blobs" / key).parent / ".incoming-abc123"
    left.write_bytes(b"half a blob")
    os.utime(left, (0, 0))
    cutoff = SystemClock().now() - timedelta(hours=1)
    [listed] = store.keys_older_than(cutoff)
    assert listed.endswith("/.incoming-abc123")
    store.delete(listed)
    assert not left.exists()
    assert store.get(key) == b"kept"
