"""The database half of a backup: ``pg_dump`` / ``pg_restore`` for PostgreSQL, SQLite's online
backup API for SQLite.

Consistency: the dump and the list of blobs it references come from one database snapshot.
PostgreSQL: a REPEATABLE READ transaction exports its snapshot and ``pg_dump --snapshot`` dumps
exactly that state, while the same transaction lists the revisions' blob keys. SQLite: the
backup API copies a consistent image, and the keys are read from the copy.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import URL

from story_gen.sync_api.models import Revision, StoryHead, User

__all__ = [
    "DatabaseBackupError",
    "DumpResult",
    "count_rows",
    "dump_postgres",
    "dump_sqlite",
    "restore_postgres",
    "restore_sqlite",
]

COUNTED = {
    "users": User.__tablename__,
    "stories": StoryHead.__tablename__,
    "revisions": Revision.__tablename__,
}
# The blobs revisions are stored in (snapshots, and full blobs not yet repacked); a delta
# lives in its row, so in the database dump (ADR 0081).
KEYS_QUERY = (
    f"SELECT DISTINCT stored_key FROM {Revision.__tablename__} "
    "WHERE stored_key IS NOT NULL ORDER BY stored_key"
)


class DatabaseBackupError(Exception):
    pass


@dataclass(frozen=True)
class DumpResult:
    blob_keys: list[str]
    counts: dict[str, int]
    alembic_revision: str | None


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise DatabaseBackupError(
            f"{name} is not installed: install the PostgreSQL client tools (Debian/Ubuntu: "
            "apt-get install postgresql-client), of the server's major version or newer"
        )
    return found


def _libpq_env(url: URL) -> dict[str, str]:
    """libpq's environment for ``url``: the password never appears in a command line."""
    env = {**os.environ}
    for variable, value in (
        ("PGHOST", url.host),
        ("PGPORT", str(url.port) if url.port else None),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
        ("PGSSLMODE", url.query.get("sslmode")),
    ):
        if isinstance(value, str) and value:
            env[variable] = value
    return env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise DatabaseBackupError(f"{what} failed: {' / '.join(detail[-3:]) or done.returncode}")


def count_rows(engine: Engine) -> dict[str, int]:
    """Rows per counted table; a table that does not exist yet counts 0."""
    existing = set(inspect(engine).get_table_names())
    counts = {}
    with engine.connect() as connection:
        for label, table in COUNTED.items():
            counts[label] = (
                int(connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())
                if table in existing
                else 0
            )
    return counts


def dump_postgres(engine: Engine, out: Path) -> DumpResult:
    pg_dump = _tool("pg_dump")
    with (
        engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection,
        connection.begin(),
    ):
        snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        keys = [row[0] for row in connection.execute(text(KEYS_QUERY))]
        counts = {
            label: int(connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())
            for label, table in COUNTED.items()
        }
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        # The exported snapshot lives as long as this transaction: dump inside it.
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={out}",
            ],
            _libpq_env(engine.url),
            "pg_dump",
        )
    return DumpResult(blob_keys=keys, counts=counts, alembic_revision=revision)


def restore_postgres(engine: Engine, dump: Path) -> None:
    """Load ``dump`` into the (checked empty) database: its tables are replaced, in one
    transaction, so a failure leaves the database as it was."""
    pg_restore = _tool("pg_restore")
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={engine.url.database}",
            str(dump),
        ],
        _libpq_env(engine.url),
        "pg_restore",
    )


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise DatabaseBackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(database)


def dump_sqlite(engine: Engine, out: Path) -> DumpResult:
    source = sqlite3.connect(_sqlite_path(engine), timeout=30)
    target = sqlite3.connect(out)
    try:
        with target:
            source.backup(target)
        keys = [row[0] for row in target.execute(KEYS_QUERY)]
        counts = {
            label: int(target.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
            for label, table in COUNTED.items()
        }
        row = target.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        target.close()
        source.close()
    return DumpResult(blob_keys=keys, counts=counts, alembic_revision=row[0] if row else None)


def restore_sqlite(engine: Engine, image: Path) -> None:
    """Copy the backup's image over the (checked empty) database, page by page."""
    engine.dispose()
    path = _sqlite_path(engine)
    path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(image)
    target = sqlite3.connect(path, timeout=30)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()
