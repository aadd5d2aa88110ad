"""Backups of a deployment: its database and the blobs its revisions reference, in one
consistent, timestamped snapshot; and their restore into an empty deployment.

A snapshot is a folder (or an S3 prefix) ``story-gen-backup-<UTC time>`` under the destination::

    manifest.json            written last: a snapshot without it is incomplete
    database.pgdump          pg_dump custom format (PostgreSQL), or
    database.sqlite3         an SQLite image (SQLite's online backup API)
    blobs/revisions/sha256/<hex>   every blob the database references

The manifest lists the database file and every blob with its SHA-256 and size, the row counts
and the schema revision. Blobs are content-addressed and written before the rows that reference
them (ADR 0011), so the blobs a database snapshot references all exist when it is taken;
garbage collection only removes blobs no revision references. Restore checks every checksum,
writes the blobs first and the database last, then brings the schema to this version's head.
"""

from story_gen.sync_api.backup.archive import (
    FORMAT,
    BackupError,
    BackupReport,
    RestoreReport,
    restore_backup,
    write_backup,
)

__all__ = [
    "FORMAT",
    "BackupError",
    "BackupReport",
    "RestoreReport",
    "restore_backup",
    "write_backup",
]
