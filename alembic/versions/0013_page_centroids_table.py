"""page centroids in a table of their own, each kept whole in its row

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 09:00:00

Every search fetches the centroids of its candidates by key: ~300 pages, 1,893 at 100k. As
a column of `page_embeddings` (out of line since 0009, so that the rows the first stage scans
stay narrow) each 4.1 KB value was a TOAST index lookup and three chunks. In `page_centroids`
with `toast_tuple_target` at its maximum (8,160 bytes) a value stays in its row: one key
lookup. The candidate statement at 10k pages (bench/search.py's corpus, warm): 15-17 ms ->
9-11 ms. The row fills about half a heap page, so it costs ~3.9 KB a page more on disk, and
writes one row where they wrote three TOAST chunks.

The old column is dropped, and `page_embeddings` rewritten so its TOAST space is freed (a
dropped column's values stay until a row is written again): as in 0012, the HNSW index is
built again rather than updated row by row.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOAST_TUPLE_TARGET = 8160  # Postgres' maximum: a row stays whole up to this size
_HNSW = (  # as 0006 made it
    "CREATE INDEX ix_page_embeddings_page_vector_128 ON page_embeddings"
    " USING hnsw ((page_vector::halfvec(128)) halfvec_ip_ops) WHERE dim = 128"
)


def _rewrite_page_embeddings(update: str) -> None:
    """Every row written again by `update`, the HNSW index dropped and built after."""
    op.execute("DROP INDEX ix_page_embeddings_page_vector_128")
    op.execute(update)
    op.execute("SET LOCAL maintenance_work_mem = '1GB'")  # the graph built in memory
    op.execute(_HNSW)


def upgrade() -> None:
    op.create_table(
        "page_centroids",
        sa.Column("page_id", sa.BigInteger(), nullable=False),
        sa.Column("owner_id", sa.BigInteger(), nullable=False),
        sa.Column("centroids", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["owner_id", "page_id"],
            ["pages.owner_id", "pages.id"],
            name="page_centroids_page_id_fkey",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("owner_id", "page_id", name="page_centroids_pkey"),
    )
    op.execute(f"ALTER TABLE page_centroids SET (toast_tuple_target = {TOAST_TUPLE_TARGET})")
    # Int8 codes do not compress: no pglz attempt if a value ever has to leave the row.
    op.execute("ALTER TABLE page_centroids ALTER COLUMN centroids SET STORAGE EXTERNAL")
    op.execute(
        "INSERT INTO page_centroids (page_id, owner_id, centroids)"
        " SELECT page_id, owner_id, centroids FROM page_embeddings"
    )
    op.drop_column("page_embeddings", "centroids")
    _rewrite_page_embeddings("UPDATE page_embeddings SET dim = dim")


def downgrade() -> None:
    op.add_column("page_embeddings", sa.Column("centroids", sa.LargeBinary(), nullable=True))
    op.execute("ALTER TABLE page_embeddings ALTER COLUMN centroids SET STORAGE EXTERNAL")
    _rewrite_page_embeddings(
        "UPDATE page_embeddings e SET centroids = c.centroids FROM page_centroids c"
        " WHERE c.owner_id = e.owner_id AND c.page_id = e.page_id"
    )
    op.alter_column("page_embeddings", "centroids", nullable=False)
    op.drop_table("page_centroids")
