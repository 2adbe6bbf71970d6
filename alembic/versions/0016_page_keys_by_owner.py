"""The first stage's keys in a table of their own, hash-partitioned by owner: page_keys

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-26 16:20:00

The pooled vector (under HNSW) and the 8 coarse centroids move from `page_embeddings` to
`page_keys`, with the columns a filter reads; 16 hash partitions by owner, each with its own
HNSW graph. Why, measured on the 100k-page bench corpus (two owners of 100k pages each):
- one graph over every owner made a search walk other owners' pages: an "easy" query
  discarded 6,839 rows of the other owner and took 117 ms to pull its 1,893 candidates;
  in its owner's partition, 53-62 ms. At 10k pages: 9.3-12.2 ms -> 6.8-7.4 ms;
- the index scan reads ~1.4 KB rows packed five to a block, not the wide embedding rows:
  the "hard" set, which no other owner's pages crowd, 34-39 ms -> 29 ms.

Citus distributes `page_keys` by owner like every tenant table (a partitioned table can be
distributed); the partitions then split each shard the same way.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARTITIONS = 16
_HNSW = (
    "CREATE INDEX {name} ON {table}"
    " USING hnsw ((page_vector::halfvec(128)) halfvec_ip_ops) WITH (m = 8) WHERE dim = 128"
)
_KEYS = "page_id, owner_id, collection_id, document_id, model, dim, page_vector, coarse"


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE page_keys (
            page_id bigint NOT NULL,
            owner_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            collection_id bigint NOT NULL,
            document_id bigint NOT NULL,
            model varchar(300) NOT NULL,
            dim integer NOT NULL,
            page_vector halfvec NOT NULL,
            coarse bytea NOT NULL,
            CONSTRAINT page_keys_pkey PRIMARY KEY (owner_id, page_id),
            CONSTRAINT page_keys_page_id_fkey FOREIGN KEY (owner_id, page_id)
                REFERENCES pages (owner_id, id) ON DELETE CASCADE,
            CONSTRAINT page_keys_collection_id_fkey FOREIGN KEY (owner_id, collection_id)
                REFERENCES collections (owner_id, id) ON DELETE CASCADE,
            CONSTRAINT page_keys_document_id_fkey FOREIGN KEY (owner_id, document_id)
                REFERENCES documents (owner_id, id) ON DELETE CASCADE
        ) PARTITION BY HASH (owner_id)
        """
    )
    for i in range(PARTITIONS):
        op.execute(
            f"CREATE TABLE page_keys_{i} PARTITION OF page_keys"
            f" FOR VALUES WITH (MODULUS {PARTITIONS}, REMAINDER {i})"
        )
    op.execute(
        f"INSERT INTO page_keys ({_KEYS}) SELECT {_KEYS} FROM page_embeddings"  # noqa: S608
        " ORDER BY owner_id, page_id"
    )
    op.create_index("ix_page_keys_owner_collection", "page_keys", ["owner_id", "collection_id"])
    op.create_index("ix_page_keys_document_id", "page_keys", ["document_id"])
    op.execute("SET LOCAL maintenance_work_mem = '1GB'")  # each graph built in memory
    op.execute(_HNSW.format(name="ix_page_keys_page_vector_128", table="page_keys"))
    op.execute("DROP INDEX ix_page_embeddings_page_vector_128")
    op.drop_column("page_embeddings", "page_vector")
    op.drop_column("page_embeddings", "coarse")
    op.execute("ANALYZE page_keys")


def downgrade() -> None:
    op.execute("ALTER TABLE page_embeddings ADD COLUMN page_vector halfvec, ADD COLUMN coarse bytea")
    op.execute(
        "UPDATE page_embeddings e SET page_vector = k.page_vector, coarse = k.coarse"
        " FROM page_keys k WHERE k.owner_id = e.owner_id AND k.page_id = e.page_id"
    )
    op.execute(
        "ALTER TABLE page_embeddings ALTER COLUMN page_vector SET NOT NULL,"
        " ALTER COLUMN coarse SET NOT NULL"
    )
    op.execute("SET LOCAL maintenance_work_mem = '1GB'")
    op.execute(_HNSW.format(name="ix_page_embeddings_page_vector_128", table="page_embeddings"))
    op.drop_table("page_keys")
