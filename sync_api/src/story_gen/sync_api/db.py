"""The database engine and sessions: created lazily, once per process (or per app in tests).

Nothing connects at import time, so the Lambda handler module imports fast and a warm container
reuses one engine. SQLite (the embedded default) is opened in WAL mode and every write transaction
starts with ``BEGIN IMMEDIATE``: SQLite has one writer at a time, and taking the write lock up
front turns "database is locked" upgrade failures into an orderly wait. A :meth:`Database.reading`
transaction starts with a plain ``BEGIN`` instead: a WAL snapshot that never waits for or
holds the write lock, for reads that are followed by long computation (a push's merge).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["Database"]

_READ_ONLY = "story_gen_read_only"


class Database:
    """``resolve_url``, when given, returns the URL to connect with (credentials filled in from a
    secret store); it is called when the engine is created, so once per process, and again after
    :meth:`reset`. ``url`` itself stays free of secrets."""

    def __init__(
        self, url: str, *, pool_size: int = 5, resolve_url: Callable[[], str] | None = None
    ) -> None:
        self.url = url
        self._resolve_url = resolve_url
        self._pool_size = pool_size
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._readers: sessionmaker[Session] | None = None

    @property
    def is_sqlite(self) -> bool:
        return make_url(self.url).get_backend_name() == "sqlite"

    @property
    def created(self) -> bool:
        return self._engine is not None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = self._create_engine()
        return self._engine

    def _create_engine(self) -> Engine:
        url = self._resolve_url() if self._resolve_url is not None else self.url
        if self.is_sqlite:
            database = make_url(self.url).database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(
                url,
                connect_args={"check_same_thread": False, "timeout": 30},
                pool_size=self._pool_size,
            )
            event.listen(engine, "connect", _sqlite_on_connect)
            event.listen(engine, "begin", _sqlite_on_begin)
            return engine
        return create_engine(
            url,
            pool_size=self._pool_size,
            max_overflow=self._pool_size * 2,
            pool_pre_ping=True,
            pool_timeout=60,
        )

    def session(self) -> Session:
        if self._sessions is None:
            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        return self._sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any exception."""
        with self.session() as session, session.begin():
            yield session

    def reader(self) -> Session:
        """A session for reading: each transaction it begins takes no write lock on SQLite (a
        WAL snapshot) and no row lock on PostgreSQL. Do not write through it."""
        if self._readers is None:
            self._readers = sessionmaker(
                self.engine.execution_options(**{_READ_ONLY: True}), expire_on_commit=False
            )
        return self._readers()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """One read transaction (see :meth:`reader`)."""
        with self.reader() as session, session.begin():
            yield session

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    def reset(self) -> None:
        """Close every pooled connection and forget the engine: the next use creates a new one
        (resolving the URL again). For a process that is frozen and thawed (Lambda SnapStart)."""
        with self._lock:
            engine, self._engine = self._engine, None
            self._sessions = self._readers = None
        if engine is not None:
            engine.dispose()


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Hand transaction control to the "begin" hook below instead of pysqlite's own.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    read_only = connection.get_execution_options().get(_READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
