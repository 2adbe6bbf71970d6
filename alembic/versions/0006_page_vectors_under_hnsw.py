"""page vectors under HNSW: the search's first stage moves into Postgres

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 00:00:00

Every embedding row gets one pooled vector (the unit mean of the page's tokens, `halfvec`)
under an HNSW index (inner product), so the first stage is an index scan in Postgres instead
of a per-process in-memory index. HNSW needs a fixed dimension: the index is partial, for
128-dimensional models (the ColPali family); other dimensions are scored by a scan of the
(filtered) rows, which is exact. The per-owner index versions of 0004 and their triggers
served the in-memory index only, and go.
"""

from collections.abc import Sequence

import numpy as np
import sqlalchemy as sa

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXED_DIMS = (128,)
_BATCH = 500


def _backfill() -> None:
    """Pool the vectors already stored (decoded as app/db/vectors.py stores them)."""
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT page_id, dim, vectors FROM page_embeddings WHERE page_id > :last"
                " ORDER BY page_id LIMIT :batch"
            ),
            {"last": last, "batch": _BATCH},
        ).all()
        if not rows:
            return
        for row in rows:
            blob = bytes(row.vectors)
            tokens = len(blob) // (4 + row.dim)
            scales = np.frombuffer(blob, dtype=np.float32, count=tokens)
            codes = np.frombuffer(blob, dtype=np.int8, offset=4 * tokens).reshape(tokens, row.dim)
            mean = (codes.astype(np.float32) * scales[:, None]).mean(axis=0)
            mean /= max(float(np.linalg.norm(mean)), 1e-12)
            bind.execute(
                sa.text(
                    "UPDATE page_embeddings SET page_vector = CAST(:v AS halfvec)"
                    " WHERE page_id = :id"
                ),
                {"v": "[" + ",".join(f"{x:.6g}" for x in mean) + "]", "id": row.page_id},
            )
        last = rows[-1].page_id


def upgrade() -> None:
    for name in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER page_embeddings_{name} ON page_embeddings")
    op.execute("DROP FUNCTION paliapi_bump_index_version()")
    op.execute("DROP TABLE search_index_versions")
    op.execute("DROP SEQUENCE search_index_version_seq")
    op.execute("ALTER TABLE page_embeddings ADD COLUMN page_vector halfvec")
    _backfill()
    op.execute("ALTER TABLE page_embeddings ALTER COLUMN page_vector SET NOT NULL")
    for dim in INDEXED_DIMS:
        # The owner filter is applied during the scan (iterative index scans, pgvector >= 0.8).
        op.execute(
            f"CREATE INDEX ix_page_embeddings_page_vector_{dim} ON page_embeddings"
            f" USING hnsw ((page_vector::halfvec({dim})) halfvec_ip_ops) WHERE dim = {dim}"
        )


def downgrade() -> None:
    for dim in INDEXED_DIMS:
        op.execute(f"DROP INDEX ix_page_embeddings_page_vector_{dim}")
    op.execute("ALTER TABLE page_embeddings DROP COLUMN page_vector")
    # 0004's version table and triggers, as 0004 made them.
    op.execute("CREATE SEQUENCE search_index_version_seq")
    op.execute(
        "CREATE TABLE search_index_versions ("
        " owner_id bigint PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
        " version bigint NOT NULL)"
    )
    op.execute(_BUMP)
    for name, op_name, rows in (
        ("insert", "INSERT", "NEW TABLE AS new_rows"),
        ("update", "UPDATE", "NEW TABLE AS new_rows"),
        ("delete", "DELETE", "OLD TABLE AS old_rows"),
    ):
        op.execute(
            f"CREATE TRIGGER page_embeddings_{name} AFTER {op_name} ON page_embeddings"
            f" REFERENCING {rows} FOR EACH STATEMENT"
            " EXECUTE FUNCTION paliapi_bump_index_version()"
        )


_BUMP = """
CREATE FUNCTION paliapi_bump_index_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE search_index_versions SET version = nextval('search_index_version_seq')
        WHERE owner_id IN (SELECT DISTINCT owner_id FROM old_rows);
    ELSE  -- INSERT or UPDATE
        INSERT INTO search_index_versions (owner_id, version)
        SELECT owner_id, nextval('search_index_version_seq')
        FROM (SELECT DISTINCT owner_id FROM new_rows) AS owners
        ON CONFLICT (owner_id) DO UPDATE SET version = EXCLUDED.version;
    END IF;
    RETURN NULL;
END $$;
"""
