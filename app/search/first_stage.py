"""The first stage, in Postgres: candidates by pooled page vector (HNSW), then centroid MaxSim.

Each page has one pooled vector (the unit mean of its tokens) under an HNSW index. One index
scan pulls `PALIAPI_SEARCH_CANDIDATES` pages of the scope (more past 10k pages, as
pages^0.8), nearest to the query's pooled vector, with their 32 centroids; approximate
MaxSim over those centroids (in a thread) keeps the best `PALIAPI_SEARCH_RERANK` (more past
10k pages, as pages^0.3) for the exact rerank. Nothing is held in the API process, and a
page is a candidate as soon as the transaction that wrote it commits.

Filters stay exact: the scope's conditions are in the WHERE clause, and pgvector's iterative
index scan (`relaxed_order`) keeps walking the graph until enough rows pass them. A scope no
larger than the candidate count is read whole, in the ordinary (B-tree) way, and if the index
scan stops early (`hnsw.max_scan_tuples`), the same query runs without the index: either way
every page of the scope can be a candidate.
"""

from __future__ import annotations

import math

import numpy as np
from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.vectors import centroid_maxsim, pool
from app.search.scope import Scope
from app.settings import settings
from app.types import Float32Matrix

SCALE_PAGES = 10_000  # scopes up to this size pull PALIAPI_SEARCH_CANDIDATES pages
GROWTH = 0.8  # past it, candidates grow as pages**GROWTH (1,893 at 100k pages)
RERANK_GROWTH = 0.3  # and the rerank as pages**RERANK_GROWTH (64 at 100k pages)
INDEXED_DIMS = (128,)  # the partial HNSW indexes of migration 0006
MAX_EF_SEARCH = 1000  # pgvector's upper bound for hnsw.ef_search

_WHERE = (
    "owner_id = :owner AND model = :model AND collection_id = ANY(:collections)"
    " AND (:all_documents OR document_id = ANY(:documents))"
)
_QUERY_VECTOR = "CAST(CAST(:query AS text) AS halfvec{typmod})"


def _grown(base: int, scope_pages: int, growth: float) -> int:
    """`base` for a scope of up to SCALE_PAGES pages, times (pages / SCALE_PAGES)^growth past it."""
    grown: float = base * max(1.0, scope_pages / SCALE_PAGES) ** growth
    return math.ceil(grown)


def candidate_count(scope_pages: int, rerank: int) -> int:
    """How many pages the index scan pulls: `PALIAPI_SEARCH_CANDIDATES` up to 10k pages in
    scope, growing as pages^0.8 past it, and never fewer than the rerank takes. The pooled
    key ranks the true best pages lower as the scope grows (bench/search.py, hard data, 100k
    pages: 949 candidates kept recall@3 at 0.958, 1,898 at 0.983)."""
    return max(rerank, _grown(settings.search_candidates, scope_pages, GROWTH))


def rerank_count(scope_pages: int, k: int) -> int:
    """How many candidates the exact rerank scores: `PALIAPI_SEARCH_RERANK` up to 10k pages
    in scope, growing as pages^0.3 past it, and never fewer than `k`. Among more candidates
    the centroid ranking has more near-ties to get wrong (bench/search.py, hard data, recall@3
    at 10k pages: 0.983 from 32 or 64; at 100k: 0.967 from 32, 0.975 from 48, 0.983 from 64)."""
    return max(k, _grown(settings.search_rerank, scope_pages, RERANK_GROWTH))


def stage_sizes(scope_pages: int, k: int) -> tuple[int, int]:
    """(pages the index scan pulls, pages the exact rerank scores) for a scope and a top k."""
    rerank = rerank_count(scope_pages, k)
    return candidate_count(scope_pages, rerank), rerank


def _statement(sql: str) -> TextClause:
    return text(sql).bindparams(
        bindparam("collections", type_=ARRAY(BIGINT)), bindparam("documents", type_=ARRAY(BIGINT))
    )


def candidates_sql(dim: int, *, indexed: bool) -> str:
    """The candidate query. Indexed: ordered by the expression the partial HNSW index holds
    (the dimension a literal, so the index's `WHERE dim = 128` is provably implied). Not
    indexed: the same distance on the bare column, which no index matches: a scan of the
    scope's rows (B-tree on owner and collection) and a top-N sort, exact."""
    if indexed:
        order = f"(page_vector::halfvec({dim})) <#> " + _QUERY_VECTOR.format(typmod=f"({dim})")
    else:
        order = "page_vector <#> " + _QUERY_VECTOR.format(typmod="")
    # Only constants and an int are formatted in; every value is a bind parameter. The
    # ordering reads narrow rows (ids and distances; a sort that carried 4 KB of centroids a
    # row spilled to disk), then the winners' centroids are fetched by primary key from
    # their own table, where each is whole in its row (migration 0013).
    return (
        "WITH nearest AS MATERIALIZED ("  # noqa: S608
        f"SELECT page_id, {order} AS distance FROM page_embeddings"
        f" WHERE {_WHERE} AND dim = {dim} ORDER BY distance LIMIT :limit)"
        " SELECT n.page_id, c.centroids FROM nearest n"
        " JOIN page_centroids c ON c.owner_id = :owner AND c.page_id = n.page_id"
        " ORDER BY n.distance"
    )


_SCAN_SETTINGS = text(
    "SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true),"
    " set_config('hnsw.ef_search', :ef_search, true),"
    " set_config('hnsw.max_scan_tuples', :max_scan_tuples, true)"
)
_SCOPE_PAGES = _statement(f"SELECT page_id FROM page_embeddings WHERE {_WHERE}")  # noqa: S608


def _params(owner_id: int, model: str, scope: Scope) -> dict[str, object]:
    return {
        "owner": owner_id,
        "model": model,
        "collections": sorted(scope.collection_ids),
        "all_documents": scope.document_ids is None,
        "documents": sorted(scope.document_ids or ()),
    }


def _vector_literal(vector: Float32Matrix) -> str:
    return "[" + ",".join(f"{x:.5g}" for x in vector.tolist()) + "]"


def candidate_params(
    *, owner_id: int, model: str, scope: Scope, query: Float32Matrix, limit: int
) -> dict[str, object]:
    """The bind parameters of `candidates_sql`."""
    return _params(owner_id, model, scope) | {"query": _vector_literal(pool(query)), "limit": limit}


async def prepare_index_scan(session: AsyncSession, limit: int) -> None:
    """The HNSW scan settings for pulling `limit` rows, for this transaction only."""
    await session.execute(
        _SCAN_SETTINGS,
        {
            "ef_search": str(min(limit, MAX_EF_SEARCH)),
            "max_scan_tuples": str(max(20_000, 40 * limit)),
        },
    )


async def scope_pages(
    session: AsyncSession, *, owner_id: int, model: str, scope: Scope
) -> list[int]:
    """Every page of the scope (for `exact: true`)."""
    rows = await session.execute(_SCOPE_PAGES, _params(owner_id, model, scope))
    return [int(r.page_id) for r in rows]


async def fetch_candidates(
    session: AsyncSession,
    *,
    owner_id: int,
    model: str,
    scope: Scope,
    query: Float32Matrix,
    limit: int,
) -> list[tuple[int, bytes]]:
    """Up to `limit` (page id, centroids) of the scope, nearest by pooled vector first."""
    dim = int(query.shape[1])
    params = candidate_params(owner_id=owner_id, model=model, scope=scope, query=query, limit=limit)
    indexed = dim in INDEXED_DIMS and scope.pages > limit
    if indexed:
        await prepare_index_scan(session, limit)
        rows = (await session.execute(_statement(candidates_sql(dim, indexed=True)), params)).all()
        if len(rows) >= limit:
            return [(int(r.page_id), bytes(r.centroids)) for r in rows]
        # The scan gave up before `limit` rows of the scope passed (a scope that is a sliver
        # of the owner's pages): read the scope instead, exactly.
    rows = (await session.execute(_statement(candidates_sql(dim, indexed=False)), params)).all()
    return [(int(r.page_id), bytes(r.centroids)) for r in rows]


def centroid_top(query: Float32Matrix, rows: list[tuple[int, bytes]], keep: int) -> list[int]:
    """The `keep` pages of `rows` with the best MaxSim over their centroids (CPU: a thread)."""
    if len(rows) <= keep:  # nothing to narrow
        return [page_id for page_id, _ in rows]
    scores = centroid_maxsim(query, [blob for _, blob in rows])
    best = np.argpartition(-scores, keep - 1)[:keep]
    return [rows[int(i)][0] for i in best]
