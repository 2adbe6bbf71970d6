"""page patch grids: where a page's image patches sit in its multi-vector

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 00:00:00

`SearchResult.similarityMap` lays a query token's similarity to every image patch over the
page's patch grid. The grid is what the model's processor made of the page image (for the
Qwen-VL families, its `image_grid_thw` over the merge size), known only when the page is
embedded, so ingestion stores it: the first patch's token index and the grid's rows and
columns. Rows embedded before this revision keep nulls (no map until re-ingested).
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("patch_offset", "patch_rows", "patch_columns")


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column("page_embeddings", sa.Column(name, sa.Integer(), nullable=True))


def downgrade() -> None:
    for name in reversed(COLUMNS):
        op.drop_column("page_embeddings", name)
