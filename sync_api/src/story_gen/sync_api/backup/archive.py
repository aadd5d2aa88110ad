"""Writing and restoring snapshots (see the package docstring for the layout)."""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from story_gen.sync_api.backup.database import (
    DatabaseBackupError,
    count_rows,
    dump_postgres,
    dump_sqlite,
    restore_postgres,
    restore_sqlite,
)
from story_gen.sync_api.backup.locations import Location, LocationError, location_for
from story_gen.sync_api.blobs import KEY_PREFIX, BlobNotFoundError
from story_gen.sync_api.ops.logs import logger
from story_gen.sync_api.services import Services

__all__ = [
    "FORMAT",
    "BackupError",
    "BackupReport",
    "RestoreReport",
    "restore_backup",
    "write_backup",
]

FORMAT = "story-gen-backup/1"
SNAPSHOT_PREFIX = "story-gen-backup-"
MANIFEST = "manifest.json"
FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupReport:
    location: str
    stories: int
    revisions: int
    blobs: int
    bytes: int


@dataclass(frozen=True)
class RestoreReport:
    source: str
    users: int
    stories: int
    revisions: int
    blobs: int


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_backup(services: Services, dest: str, *, now: datetime | None = None) -> BackupReport:
    """Snapshot the deployment of ``services`` under ``dest`` (folder or ``s3://``)."""
    try:
        return _write_backup(services, dest, now=now)
    except (DatabaseBackupError, LocationError) as error:
        raise BackupError(str(error)) from error


def _write_backup(services: Services, dest: str, *, now: datetime | None) -> BackupReport:
    taken = (now or datetime.now(UTC)).astimezone(UTC)
    name = SNAPSHOT_PREFIX + taken.strftime("%Y%m%dT%H%M%S") + f"{taken.microsecond // 1000:03d}Z"
    target = location_for(dest, services.settings).child(name)
    engine = services.db.engine
    kind = "sqlite" if services.db.is_sqlite else "postgresql"
    database_file = "database.sqlite3" if kind == "sqlite" else "database.pgdump"
    with tempfile.TemporaryDirectory(prefix="story-gen-backup-") as scratch:
        dumped = Path(scratch) / database_file
        result = dump_sqlite(engine, dumped) if kind == "sqlite" else dump_postgres(engine, dumped)
        target.put_file(database_file, dumped)
        database: dict[str, Any] = {
            "kind": kind,
            "file": database_file,
            "sha256": _file_sha256(dumped),
            "bytes": dumped.stat().st_size,
            "alembic_revision": result.alembic_revision,
        }
    blobs: list[dict[str, Any]] = []
    total = int(database["bytes"])
    missing = []
    for key in result.blob_keys:
        try:
            data = services.blobs.get(key)
        except BlobNotFoundError:
            missing.append(key)
            continue
        digest = _sha256(data)
        if key.startswith(KEY_PREFIX) and key.removeprefix(KEY_PREFIX) != digest:
            raise BackupError(f"blob {key} does not match its content address (damaged store)")
        target.put_bytes(f"blobs/{key}", data)
        blobs.append({"key": key, "sha256": digest, "bytes": len(data)})
        total += len(data)
    if missing:
        raise BackupError(
            f"{len(missing)} blob(s) the database references are missing from the object store "
            f"(first: {missing[0]}); the snapshot at {target.describe()} is left without a "
            "manifest, i.e. incomplete"
        )
    manifest = {
        "format": FORMAT,
        "created_at": taken.isoformat(),
        "database": database,
        "counts": result.counts,
        "blobs": blobs,
    }
    target.put_bytes(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
    report = BackupReport(
        location=target.describe(),
        stories=result.counts["stories"],
        revisions=result.counts["revisions"],
        blobs=len(blobs),
        bytes=total,
    )
    logger.info("backup written", extra={"location": report.location, "blobs": report.blobs})
    return report


def _read_manifest(source: Location) -> dict[str, Any]:
    if not source.exists(MANIFEST):
        snapshots = [name for name in source.children() if name.startswith(SNAPSHOT_PREFIX)]
        hint = (
            f"; snapshots there: {', '.join(snapshots[-5:])} (restore one of them, e.g. "
            f"{source.describe(snapshots[-1])})"
            if snapshots
            else ""
        )
        raise BackupError(
            f"{source.describe()} is not a complete story-gen backup (no {MANIFEST}){hint}"
        )
    try:
        manifest = json.loads(source.get_bytes(MANIFEST))
    except json.JSONDecodeError as error:
        raise BackupError(f"{source.describe(MANIFEST)} is not valid JSON: {error.msg}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{source.describe(MANIFEST)} is not a {FORMAT} manifest")
    return manifest


def restore_backup(services: Services, src: str) -> RestoreReport:
    """Restore the snapshot at ``src`` into the empty deployment of ``services``."""
    try:
        return _restore_backup(services, src)
    except (DatabaseBackupError, LocationError) as error:
        raise BackupError(str(error)) from error


def _refuse_unless_empty(services: Services, manifest: dict[str, Any]) -> None:
    counts = count_rows(services.db.engine)
    if any(counts.values()):
        raise BackupError(
            "the target deployment is not empty "
            f"({counts['users']} accounts, {counts['stories']} stories, "
            f"{counts['revisions']} revisions): restore only into a new, empty database and "
            "object store; nothing was changed"
        )
    known = {blob["key"] for blob in manifest["blobs"]}
    foreign = [key for key in services.blobs.keys_older_than(FAR_FUTURE) if key not in known]
    if foreign:
        raise BackupError(
            f"the target object store already holds {len(foreign)} blob(s) that are not in "
            f"this backup (first: {foreign[0]}): restore into an empty bucket or folder; "
            "nothing was changed"
        )


def _restore_backup(services: Services, src: str) -> RestoreReport:
    source = location_for(src, services.settings)
    manifest = _read_manifest(source)
    database = manifest["database"]
    kind = "sqlite" if services.db.is_sqlite else "postgresql"
    if database["kind"] != kind:
        raise BackupError(
            f"this backup holds a {database['kind']} database and the target deployment uses "
            f"{kind}: restore it into a deployment of the same kind; nothing was changed"
        )
    from story_gen.sync_api.migrate import known_revisions, upgrade_head

    if database["alembic_revision"] not in known_revisions():
        raise BackupError(
            f"the backup's schema revision {database['alembic_revision']!r} is newer than this "
            "version of story-gen knows: restore it with the version that wrote it, or newer"
        )
    _refuse_unless_empty(services, manifest)
    with tempfile.TemporaryDirectory(prefix="story-gen-restore-") as scratch:
        image = Path(scratch) / database["file"]
        source.get_file(database["file"], image)
        if _file_sha256(image) != database["sha256"]:
            raise BackupError(
                f"{source.describe(database['file'])} does not match its checksum in the "
                "manifest (damaged or altered backup); nothing was changed"
            )
        blobs = manifest["blobs"]
        staged = Path(scratch) / "blobs"
        staged.mkdir()
        for number, blob in enumerate(blobs):  # every checksum checked before anything is written
            data = source.get_bytes(f"blobs/{blob['key']}")
            if _sha256(data) != blob["sha256"] or len(data) != blob["bytes"]:
                raise BackupError(
                    f"{source.describe('blobs/' + blob['key'])} does not match its checksum "
                    "in the manifest (damaged or altered backup); nothing was changed"
                )
            (staged / str(number)).write_bytes(data)
        for number, blob in enumerate(blobs):  # blobs before rows (ADR 0011)
            services.blobs.put(blob["key"], (staged / str(number)).read_bytes())
        if kind == "sqlite":
            restore_sqlite(services.db.engine, image)
        else:
            restore_postgres(services.db.engine, image)
    services.db.reset()
    upgrade_head(services.db.engine)
    counts = count_rows(services.db.engine)
    expected = manifest["counts"]
    if counts != expected:
        raise BackupError(f"restored row counts {counts} differ from the manifest's {expected}")
    report = RestoreReport(
        source=source.describe(),
        users=counts["users"],
        stories=counts["stories"],
        revisions=counts["revisions"],
        blobs=len(blobs),
    )
    logger.info("backup restored", extra={"source": report.source, "blobs": report.blobs})
    return report
