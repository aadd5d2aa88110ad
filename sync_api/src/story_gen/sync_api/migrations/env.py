"""Alembic environment: runs on the connection handed over by :mod:`story_gen.sync_api.migrate`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from story_gen.sync_api.models import Base

config = context.config
connection = config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run migrations through story_gen.sync_api.migrate (it passes a connection)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
