"""Migrations: from an empty database to head, matching the models, on both databases."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url

from story_gen.sync_api.migrate import current_revision, head_revision, upgrade_head
from story_gen.sync_api.models import Base

from .conftest import PG_ADMIN_URLS


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
