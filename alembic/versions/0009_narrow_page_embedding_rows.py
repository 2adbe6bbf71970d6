"""narrow page_embeddings rows: the pooled vector in the row, centroids out of line

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 01:00:00

Since 0006 the first stage reads `page_vector` of many rows (the index's heap checks, and
every row of a filtered scope it scores exhaustively) but `centroids` of only its few hundred
candidates. With 4 KB of centroids kept in the row (0003), a row passed Postgres' 2 KB TOAST
threshold, so the 260-byte `page_vector` (EXTERNAL, pgvector's default) was the one moved out
of line: one heap page and one TOAST fetch per row scored (measured at 10k pages: 18,510 heap
pages for 20,000 rows, every page_vector toasted). Now `centroids` go out of line and
`page_vector` stays in a ~400-byte row.

Existing rows are rewritten so the new layout applies to them too: the pooled vector is
rebuilt by a round trip through `vector` (a value, not the old TOAST pointer), which makes
Postgres re-toast the row under the new settings. That takes about a minute per 100k pages.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("ALTER TABLE page_embeddings ALTER COLUMN centroids SET STORAGE EXTERNAL")
    op.execute("ALTER TABLE page_embeddings ALTER COLUMN page_vector SET STORAGE MAIN")
    op.execute(
        "UPDATE page_embeddings SET page_vector = page_vector::vector::halfvec,"
        " centroids = centroids || ''::bytea"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE page_embeddings ALTER COLUMN centroids SET STORAGE MAIN")
    op.execute("ALTER TABLE page_embeddings ALTER COLUMN page_vector SET STORAGE EXTERNAL")
