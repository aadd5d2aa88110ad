"""Blobs in any S3-compatible object store through boto3 (AWS S3, MinIO, Spaces, moto).

The client is created lazily once per store (boto3 clients are thread-safe; creating them is
not, hence the lock), so a Lambda cold start pays for it on the first request that needs it
and warm invocations reuse it. boto3 itself (about a third of a second to import) is imported
there too: a container whose requests never touch a blob (sign-in, account, revision lists)
never loads it. Only ``botocore.exceptions``, which is cheap, is needed up front.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from story_gen.sync_api.blobs import KEY_PREFIX, BlobNotFoundError, BlobStoreUnavailableError

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["S3BlobStore"]

_EXISTS_CODES = {"PreconditionFailed", "412", "ConditionalRequestConflict", "409"}
_MISSING_CODES = {"NoSuchKey", "404", "NotFound"}


class S3BlobStore:
    def __init__(
        self,
        *,
        bucket: str,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        client_options: dict[str, Any] | None = None,
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self._endpoint_url = endpoint_url
        self._region = region
        self._client_options = client_options or {}
        self._client: S3Client | None = None
        self._lock = threading.Lock()

    @property
    def client(self) -> S3Client:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    import boto3
                    from botocore.config import Config

                    self._client = boto3.session.Session().client(
                        "s3",
                        endpoint_url=self._endpoint_url,
                        region_name=self._region,
                        config=Config(
                            connect_timeout=3,
                            read_timeout=15,
                            retries={"max_attempts": 2, "mode": "standard"},
                            s3={"addressing_style": "path"} if self._endpoint_url else None,
                        ),
                        **self._client_options,
                    )
        return self._client

    def reset_connections(self) -> None:
        """Forget the client (and its pooled connections); the next call makes a new one."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    def put(self, key: str, data: bytes) -> None:
        try:
            self.client.put_object(
                Bucket=self.bucket,
                Key=self.prefix + key,
                Body=data,
                ContentType="application/json",
                IfNoneMatch="*",
            )
        except ClientError as error:
            if _code(error) in _EXISTS_CODES:
                self._refresh(key)  # already stored: same key means the same bytes
                return
            raise BlobStoreUnavailableError(f"S3 put {key!r}: {_code(error)}") from error
        except BotoCoreError as error:
            raise BlobStoreUnavailableError(f"S3 put {key!r}: {error}") from error

    def _refresh(self, key: str) -> None:
        """Make an existing object young again (an in-place copy sets its LastModified), so the
        collector never takes an orphan that a row is about to reference."""
        try:
            self.client.copy_object(
                Bucket=self.bucket,
                Key=self.prefix + key,
                CopySource={"Bucket": self.bucket, "Key": self.prefix + key},
                ContentType="application/json",
                MetadataDirective="REPLACE",
            )
        except ClientError as error:
            raise BlobStoreUnavailableError(f"S3 refresh {key!r}: {_code(error)}") from error
        except BotoCoreError as error:
            raise BlobStoreUnavailableError(f"S3 refresh {key!r}: {error}") from error

    def get(self, key: str) -> bytes:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)
            return response["Body"].read()
        except ClientError as error:
            if _code(error) in _MISSING_CODES:
                raise BlobNotFoundError(key) from None
            raise BlobStoreUnavailableError(f"S3 get {key!r}: {_code(error)}") from error
        except BotoCoreError as error:
            raise BlobStoreUnavailableError(f"S3 get {key!r}: {error}") from error

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)
        except (ClientError, BotoCoreError) as error:
            raise BlobStoreUnavailableError(f"S3 delete {key!r}: {error}") from error

    def keys_older_than(self, cutoff: datetime) -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + KEY_PREFIX):
                for item in page.get("Contents", []):
                    modified = item["LastModified"].astimezone(UTC)
                    if modified < cutoff:
                        yield item["Key"][len(self.prefix) :]
        except (ClientError, BotoCoreError) as error:
            raise BlobStoreUnavailableError(f"S3 list: {error}") from error

    def check(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (ClientError, BotoCoreError) as error:
            raise BlobStoreUnavailableError(f"S3 bucket {self.bucket!r}: {error}") from error


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
