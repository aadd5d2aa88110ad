"""Migrations: from an empty database to head, matching the models, on both databases."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url

from story_gen.sync_api.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    upgrade_head,
)
from story_gen.sync_api.models import Base

from .conftest import PG_ADMIN_URLS

NOW = datetime(2026, 12, 1, tzinfo=UTC).replace(tzinfo=None)


@pytest.fixture
def empty_engine(backend: str, tmp_path: Any) -> Iterator[Engine]:
    if backend == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
        yield engine
        engine.dispose()
        return
    admin = create_engine(PG_ADMIN_URLS[0], isolation_level="AUTOCOMMIT")
    name = f"story_gen_mig_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(make_url(PG_ADMIN_URLS[0]).set(database=name))
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_from_empty_reaches_head_and_matches_the_models(empty_engine: Engine) -> None:
    assert current_revision(empty_engine) is None
    upgrade_head(empty_engine)
    assert current_revision(empty_engine) == head_revision()
    assert set(inspect(empty_engine).get_table_names()) >= {
        table.name for table in Base.metadata.sorted_tables
    }
    with empty_engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_upgrade_is_idempotent(empty_engine: Engine) -> None:
    upgrade_head(empty_engine)
    upgrade_head(empty_engine)
    assert current_revision(empty_engine) == head_revision()


def _at_0001(engine: Engine) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")


def test_0002_keeps_every_existing_revision_as_its_full_blob_and_downgrades_only_unpacked(
    empty_engine: Engine,
) -> None:
    _at_0001(empty_engine)
    user, story = uuid.uuid4(), uuid.uuid4()
    key = "revisions/sha256/" + "ab" * 32
    with empty_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, email, display_name, password_hash, created_at, "
                "change_seq) VALUES (:id, 'a@example.org', 'A', 'x', :at, 1)"
            ),
            {"id": user.hex if empty_engine.dialect.name == "sqlite" else user, "at": NOW},
        )
        ids = {
            "story": story.hex if empty_engine.dialect.name == "sqlite" else story,
            "user": user.hex if empty_engine.dialect.name == "sqlite" else user,
        }
        connection.execute(
            text(
                "INSERT INTO stories (id, owner_id, title, revision, blob_key, conflict_count, "
                "created_at, updated_at, change_seq) VALUES (:story, :user, 'T', 2, :key, 0, "
                ":at, :at, 1)"
            ),
            {**ids, "key": key, "at": NOW},
        )
        for number, size in ((1, 700), (2, 800)):
            connection.execute(
                text(
                    "INSERT INTO revisions (story_id, revision, blob_key, byte_size, created_at, "
                    "origin) VALUES (:story, :n, :key, :size, :at, 'update')"
                ),
                {**ids, "n": number, "key": f"{key[:-1]}{number}", "size": size, "at": NOW},
            )
    upgrade_head(empty_engine)
    with empty_engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT revision, blob_key, stored_key, stored_bytes, delta FROM revisions "
                "ORDER BY revision"
            )
        ).all()
    assert [(r[0], r[2], r[3], r[4]) for r in rows] == [
        (1, f"{key[:-1]}1", 700, None),
        (2, f"{key[:-1]}2", 800, None),
    ]
    assert all(r[1] == r[2] for r in rows)

    config = alembic_config()
    with empty_engine.begin() as connection:
        connection.execute(text("UPDATE revisions SET stored_key = NULL WHERE revision = 2"))
    with empty_engine.begin() as connection:
        config.attributes["connection"] = connection
        with pytest.raises(RuntimeError, match="restore a backup"):
            command.downgrade(config, "0001")
    with empty_engine.begin() as connection:
        connection.execute(text("UPDATE revisions SET stored_key = blob_key"))
    with empty_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    assert current_revision(empty_engine) == "0001"


def test_0003_adds_the_device_empty_for_every_existing_revision_and_downgrades(
    empty_engine: Engine,
) -> None:
    config = alembic_config()
    with empty_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    assert "device" not in {c["name"] for c in inspect(empty_engine).get_columns("revisions")}
    upgrade_head(empty_engine)
    assert "device" in {c["name"] for c in inspect(empty_engine).get_columns("revisions")}
    with empty_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    assert current_revision(empty_engine) == "0002"
    assert "device" not in {c["name"] for c in inspect(empty_engine).get_columns("revisions")}
