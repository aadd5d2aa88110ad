"""Revisions stored as compressed deltas against periodic snapshots (ADR 0081).

Every existing revision keeps its full canonical-JSON blob: ``stored_key`` names it (the same
key as ``blob_key``) and ``stored_bytes`` is its size. ``story-gen-sync-api run
repack_revisions`` rewrites them as snapshots and deltas afterwards, while the service runs.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stored_key", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("delta", sa.LargeBinary(), nullable=True))
        batch_op.add_column(
            sa.Column("stored_bytes", sa.Integer(), nullable=False, server_default="0")
        )
    op.execute("UPDATE revisions SET stored_key = blob_key, stored_bytes = byte_size")
    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.alter_column("stored_bytes", server_default=None)
        batch_op.create_index(batch_op.f("ix_revisions_stored_key"), ["stored_key"], unique=False)


def downgrade() -> None:
    # 0001 reads a revision's canonical JSON at ``blob_key``: only a database none of whose
    # revisions was written or repacked as a snapshot or delta can go back.
    bind = op.get_bind()
    packed = bind.execute(
        sa.text("SELECT count(*) FROM revisions WHERE stored_key IS NULL OR stored_key <> blob_key")
    )
    if int(packed.scalar_one()) > 0:
        raise RuntimeError(
            "revisions are stored as snapshots and deltas (ADR 0081), which 0001 cannot read; "
            "restore a backup taken before the upgrade instead of downgrading"
            "backup taken before the upgrade instead of downgrading"
        )
    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revisions_stored_key"))
        batch_op.drop_column("stored_bytes")
        batch_op.drop_column("delta")
        batch_op.drop_column("stored_key")
