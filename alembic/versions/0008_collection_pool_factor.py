"""collection pool factor: hierarchical token pooling per collection

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 00:00:00

A collection's `poolFactor` (1 = off) divides the tokens stored per page: ingestion pools
each page's multi-vector (app/ingest/token_pooling.py) before encoding it. Fixed at creation,
like the model: the pages of one collection are all pooled alike.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "collections",
        sa.Column("pool_factor", sa.SmallInteger(), nullable=False, server_default="1"),
    )
    op.create_check_constraint(
        "ck_collections_pool_factor", "collections", "pool_factor BETWEEN 1 AND 16"
    )


def downgrade() -> None:
    op.drop_constraint("ck_collections_pool_factor", "collections")
    op.drop_column("collections", "pool_factor")
