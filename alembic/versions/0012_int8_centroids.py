"""int8 centroids: a page's centroids stored as its tokens are, int8 codes with row scales

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 05:00:00

The first stage scores the centroids of ~300 candidate pages (1,893 at 100k pages) on every
search. As float16 (8 KB a page) they were widened to float32 at 20 ms a search at 100k
pages; as int8 codes with a float32 scale per centroid (4.1 KB, app/db/vectors.py
`quantize`) that is 4 ms, and Postgres reads and sends half the bytes. Existing rows are
rewritten in batches, keyed by (owner_id, page_id), and the HNSW index built again.
"""

from collections.abc import Callable, Sequence

import numpy as np
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT, BYTEA

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 2000
_HNSW = (  # as 0006 made it
    "CREATE INDEX ix_page_embeddings_page_vector_128 ON page_embeddings"
    " USING hnsw ((page_vector::halfvec(128)) halfvec_ip_ops) WHERE dim = 128"
)


def _to_int8(blob: bytes, dim: int) -> bytes:
    matrix = np.frombuffer(blob, dtype=np.float16).reshape(-1, dim).astype(np.float32)
    scales = np.abs(matrix).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    codes = np.rint(matrix / scales[:, None]).astype(np.int8)
    return bytes(scales.astype(np.float32).tobytes() + codes.tobytes())


def _to_float16(blob: bytes, dim: int) -> bytes:
    rows = len(blob) // (4 + dim)
    scales = np.frombuffer(blob, dtype=np.float32, count=rows)
    codes = np.frombuffer(blob, dtype=np.int8, offset=4 * rows).reshape(rows, dim)
    return (codes.astype(np.float32) * scales[:, None]).astype(np.float16).tobytes()


def _rewrite(convert: Callable[[bytes, int], bytes]) -> None:
    # A rewritten row is a new row version, so each one would also be a new HNSW entry, and
    # the old one a dead entry until a vacuum: building the index again is faster and clean.
    op.execute("DROP INDEX ix_page_embeddings_page_vector_128")
    bind = op.get_bind()
    select = sa.text(
        "SELECT owner_id, page_id, dim, centroids FROM page_embeddings"
        " WHERE (owner_id, page_id) > (:owner, :page) ORDER BY owner_id, page_id LIMIT :batch"
    )
    update = sa.text(
        "UPDATE page_embeddings e SET centroids = v.centroids"
        " FROM unnest(:owners, :pages, :centroids) AS v(owner_id, page_id, centroids)"
        " WHERE e.owner_id = v.owner_id AND e.page_id = v.page_id"
    ).bindparams(
        sa.bindparam("owners", type_=ARRAY(BIGINT)),
        sa.bindparam("pages", type_=ARRAY(BIGINT)),
        sa.bindparam("centroids", type_=ARRAY(BYTEA)),
    )
    last = (0, 0)
    while rows := bind.execute(
        select, {"owner": last[0], "page": last[1], "batch": _BATCH}
    ).all():
        bind.execute(
            update,
            {
                "owners": [r.owner_id for r in rows],
                "pages": [r.page_id for r in rows],
                "centroids": [convert(bytes(r.centroids), r.dim) for r in rows],
            },
        )
        last = (rows[-1].owner_id, rows[-1].page_id)
    op.execute("SET LOCAL maintenance_work_mem = '1GB'")  # the graph built in memory
    op.execute(_HNSW)


def upgrade() -> None:
    _rewrite(_to_int8)


def downgrade() -> None:
    _rewrite(_to_float16)
