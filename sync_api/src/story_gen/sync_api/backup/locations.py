"""Where a backup is written: a folder, or a bucket of any S3-compatible store (``s3://b/p``)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from story_gen.sync_api.config import Settings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["FolderLocation", "Location", "LocationError", "S3Location", "location_for"]


class LocationError(Exception):
    """The backup location cannot be read or written."""


class Location(Protocol):
    """Files addressed by ``/``-separated names under one root."""

    def describe(self, name: str = "") -> str: ...

    def child(self, name: str) -> Location: ...

    def put_bytes(self, name: str, data: bytes) -> None: ...

    def put_file(self, name: str, path: Path) -> None: ...

    def get_bytes(self, name: str) -> bytes: ...

    def get_file(self, name: str, path: Path) -> None: ...

    def exists(self, name: str) -> bool: ...

    def children(self) -> list[str]:
        """Names of the folders (prefixes) directly under the root."""
        ...


class FolderLocation:
    def __init__(self, root: Path) -> None:
        self.root = root

    def describe(self, name: str = "") -> str:
        return str(self.root / name) if name else str(self.root)

    def child(self, name: str) -> FolderLocation:
        return FolderLocation(self.root / name)

    def _path(self, name: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def put_bytes(self, name: str, data: bytes) -> None:
        try:
            tmp = self._path(name + ".incoming")
            tmp.write_bytes(data)
            tmp.replace(self.root / name)
        except OSError as error:
            raise LocationError(f"cannot write {self.describe(name)}: {error}") from error

    def put_file(self, name: str, path: Path) -> None:
        try:
            shutil.copyfile(path, self._path(name))
        except OSError as error:
            raise LocationError(f"cannot write {self.describe(name)}: {error}") from error

    def get_bytes(self, name: str) -> bytes:
        try:
            return (self.root / name).read_bytes()
        except OSError as error:
            raise LocationError(f"cannot read {self.describe(name)}: {error}") from error

    def get_file(self, name: str, path: Path) -> None:
        try:
            shutil.copyfile(self.root / name, path)
        except OSError as error:
            raise LocationError(f"cannot read {self.describe(name)}: {error}") from error

    def exists(self, name: str) -> bool:
        return (self.root / name).is_file()

    def children(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir())


class S3Location:
    def __init__(self, client: S3Client, bucket: str, prefix: str) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def describe(self, name: str = "") -> str:
        return f"s3://{self.bucket}/{self.prefix}{name}"

    def child(self, name: str) -> S3Location:
        return S3Location(self.client, self.bucket, self.prefix + name)

    def _errors(self) -> tuple[type[Exception], ...]:
        from botocore.exceptions import BotoCoreError, ClientError

        return (BotoCoreError, ClientError)

    def put_bytes(self, name: str, data: bytes) -> None:
        try:
            self.client.put_object(Bucket=self.bucket, Key=self.prefix + name, Body=data)
        except self._errors() as error:
            raise LocationError(f"cannot write {self.describe(name)}: {error}") from error

    def put_file(self, name: str, path: Path) -> None:
        try:
            self.client.upload_file(str(path), self.bucket, self.prefix + name)
        except (*self._errors(), OSError) as error:  # type: ignore[misc]
            raise LocationError(f"cannot write {self.describe(name)}: {error}") from error

    def get_bytes(self, name: str) -> bytes:
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self.prefix + name)["Body"]
            return body.read()
        except self._errors() as error:
            raise LocationError(f"cannot read {self.describe(name)}: {error}") from error

    def get_file(self, name: str, path: Path) -> None:
        try:
            self.client.download_file(self.bucket, self.prefix + name, str(path))
        except (*self._errors(), OSError) as error:  # type: ignore[misc]
            raise LocationError(f"cannot read {self.describe(name)}: {error}") from error

    def exists(self, name: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.prefix + name)
        except self._errors():
            return False
        return True

    def children(self) -> list[str]:
        names: list[str] = []
        try:
            paginator = self.client.get_paginator("list_objects_v2")
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix, Delimiter="/"):
                for common in page.get("CommonPrefixes", []):
                    names.append(common["Prefix"][len(self.prefix) :].rstrip("/"))
        except self._errors() as error:
            raise LocationError(f"cannot list {self.describe()}: {error}") from error
        return sorted(names)


def location_for(where: str, settings: Settings) -> Location:
    """A folder path, or ``s3://bucket/prefix`` on the endpoint and region of the settings
    (``STORY_GEN_S3_ENDPOINT_URL``, ``STORY_GEN_S3_REGION``; credentials from boto3's chain)."""
    if where.startswith("s3://"):
        bucket, _, prefix = where.removeprefix("s3://").partition("/")
        if not bucket:
            raise LocationError(f"{where!r} names no bucket; write s3://bucket/prefix")
        import boto3
        from botocore.config import Config

        client = boto3.session.Session().client(
            "s3",
            endpoint_url=settings.s3_endpoint_url,
            region_name=settings.s3_region,
            config=Config(
                retries={"max_attempts": 5, "mode": "standard"},
                s3={"addressing_style": "path"} if settings.s3_endpoint_url else None,
            ),
        )
        return S3Location(client, bucket, prefix)
    if "://" in where:
        raise LocationError(f"{where!r}: a backup goes to a folder or to s3://bucket/prefix")
    return FolderLocation(Path(where))
