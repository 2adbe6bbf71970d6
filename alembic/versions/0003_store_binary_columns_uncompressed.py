"""store binary columns uncompressed

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 00:45:00

Quantised vectors and WebP/JPEG images do not compress: with the default EXTENDED storage
Postgres tries pglz on every value anyway, which made the bulk write 3-4x slower
(bench/ingest.py). EXTERNAL keeps them out of line (TOAST) without the attempt.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = [
    ("page_embeddings", "vectors", "EXTERNAL"),
    # 4 KiB of centroids stay in the row: the first stage reads every row, never the vectors.
    ("page_embeddings", "centroids", "MAIN"),
    ("pages", "image", "EXTERNAL"),
    ("document_sources", "data", "EXTERNAL"),
]


def upgrade() -> None:
    for table, column, storage in COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE {storage}")


def downgrade() -> None:
    for table, column, _ in COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE EXTENDED")
