"""the first stage's HNSW graph with 8 links a node (m = 8) instead of pgvector's 16

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26 11:00:00

Measured on 2 cores (bench/search.py corpora, the same queries against either graph):
- a write adds each page to the graph in its transaction: 1,000 pages into a graph of 10k
  took 1.8-2.5 ms a page with m = 16, 0.7-1.0 ms with m = 8 (bench/ingest.py, HNSW upkeep);
- the easy set's candidate statement at 10k pages, whose pooled vectors are nearly
  equidistant and so make the scan wander, 19.7 -> 11-13 ms (search p50 42 -> 26-31 ms);
  the hard set 9-10 -> 7-10 ms;
- at 100k pages the same p50 and recall@3 either way (0.983): the scan pulls 1,893
  candidates and the rerank, not the graph, decides the top 3.
A sparser graph is cheaper to walk and to keep up; with hundreds of candidates pulled a
search, its slightly worse neighbour lists cost no recall.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_HNSW = (
    "CREATE INDEX ix_page_embeddings_page_vector_128 ON page_embeddings"
    " USING hnsw ((page_vector::halfvec(128)) halfvec_ip_ops){options} WHERE dim = 128"
)


def _rebuild(options: str) -> None:
    op.execute("DROP INDEX ix_page_embeddings_page_vector_128")
    op.execute("SET LOCAL maintenance_work_mem = '1GB'")  # the graph built in memory
    op.execute(_HNSW.format(options=options))


def upgrade() -> None:
    _rebuild(" WITH (m = 8)")


def downgrade() -> None:
    _rebuild("")
