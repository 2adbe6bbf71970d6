"""The first stage, in Postgres: candidates by pooled page vector (HNSW), then centroid MaxSim.

Each page has one pooled vector (the unit mean of its tokens) under an HNSW index, in
`page_keys`, partitioned by owner: the scan walks the graph of the owner's partition. One index
scan pulls `PALIAPI_SEARCH_CANDIDATES` pages of the scope (more past 10k pages, as
pages^0.8), nearest to the query's pooled vector, with the 8 coarse centroids on their rows;
approximate MaxSim over those keeps the best third, whose 32 centroids are then read by key,
and MaxSim over the 32 keeps the best `PALIAPI_SEARCH_RERANK` (more past 10k pages, as
pages^0.3) for the exact rerank. NumPy runs in threads, on every core. Nothing is held in
the API process, and a page is a candidate as soon as the transaction that wrote it commits.

Filters stay exact: the scope's conditions are in the WHERE clause, and pgvector's iterative
index scan (`relaxed_order`) keeps walking the graph until enough rows pass them. A scope no
larger than the candidate count is read whole, in the ordinary (B-tree) way, and if the index
scan stops early (`hnsw.max_scan_tuples`), the same query runs without the index: either way
every page of the scope can be a candidate.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.page_store import driver_connection
from app.db.vectors import CENTROID_BLOCK, CENTROIDS, COARSE, centroid_maxsim, pool
from app.search.parallel import score_in_threads
from app.search.scope import Scope
from app.settings import settings
from app.types import Float32Matrix

SCALE_PAGES = 10_000  # scopes up to this size pull PALIAPI_SEARCH_CANDIDATES pages
GROWTH = 0.8  # past it, candidates grow as pages**GROWTH (1,893 at 100k pages)
RERANK_GROWTH = 0.3  # and the rerank as pages**RERANK_GROWTH (64 at 100k pages)
INDEXED_DIMS = (128,)  # the partial HNSW index of migration 0016
MAX_EF_SEARCH = 1000  # pgvector's upper bound for hnsw.ef_search
# The share of the candidates the coarse centroids keep for the 32: at 100k pages (hard
# data), the best third by the 8 held every true top-3 page that the 32 kept among all 1,893
# candidates, the best quarter 0.992 of them; at 10k pages a third (100) held them all.
COARSE_KEEP = 3

# The first stage's statements go to asyncpg directly, positional parameters: through the
# ORM's result rows, 1,893 candidates with their coarse centroids took 40 ms against 32 ms.
_WHERE = (  # $1-$5: `_scope_args`
    "owner_id = $1 AND model = $2 AND collection_id = ANY($3::bigint[])"
    " AND ($4::boolean OR document_id = ANY($5::bigint[]))"
)
_QUERY_VECTOR = "CAST($6::text AS halfvec{typmod})"


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


def shortlist_count(candidates: int, rerank: int) -> int:
    """How many candidates the coarse centroids keep for their 32 to be read."""
    return max(rerank, math.ceil(candidates / COARSE_KEEP))


def uses_index(dim: int, scope_pages: int, limit: int) -> bool:
    """Whether the candidates come from the HNSW scan: an indexed dimension and a scope larger
    than `limit` (a smaller one is read whole)."""
    return dim in INDEXED_DIMS and scope_pages > limit


def candidates_sql(dim: int, *, indexed: bool) -> str:
    """The candidate query. Indexed: ordered by the expression the partial HNSW index holds
    (the dimension a literal, so the index's `WHERE dim = 128` is provably implied). Not
    indexed: the same distance on the bare column, which no index matches: a scan of the
    scope's rows (B-tree on owner and collection) and a top-N sort, exact."""
    if indexed:
        order = f"(page_vector::halfvec({dim})) <#> " + _QUERY_VECTOR.format(typmod=f"({dim})")
    else:
        order = "page_vector <#> " + _QUERY_VECTOR.format(typmod="")
    # Only constants and an int are formatted in; every value is a bind parameter. The rows
    # carry their coarse centroids (~1 KB, in the row the scan reads anyway).
    return (
        f"SELECT page_id, coarse, {order} AS distance FROM page_keys"  # noqa: S608
        f" WHERE {_WHERE} AND dim = {dim} ORDER BY distance LIMIT $7"
    )


_SCAN_SETTINGS = (
    "SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true),"
    " set_config('hnsw.ef_search', $1, true), set_config('hnsw.max_scan_tuples', $2, true),"
    " set_config('work_mem', $3, true)"
)
# A plan that sorts the scope (a filter the planner finds selective) keeps only the best
# LIMIT rows in memory if twice that many fit in work_mem; a row with its coarse centroids
# takes ~3.4 KB there. With the stock 4 MB, 1,088 of 50k pages spilled the whole sort to
# disk (bench.explain, 100k pages, half of them in scope: 513 ms).
_SORT_KB_A_ROW = 8
_SCOPE_PAGES = f"SELECT page_id FROM page_keys WHERE {_WHERE}"  # noqa: S608
# Their own table, each whole in its row (migration 0013): one key lookup a page.
_CENTROIDS = (
    "SELECT page_id, centroids FROM page_centroids WHERE owner_id = $1 AND page_id = ANY($2)"
)


def _scope_args(owner_id: int, model: str, scope: Scope) -> tuple[object, ...]:
    return (
        owner_id,
        model,
        sorted(scope.collection_ids),
        scope.document_ids is None,
        sorted(scope.document_ids or ()),
    )


def _vector_literal(vector: Float32Matrix) -> str:
    return "[" + ",".join(f"{x:.5g}" for x in vector.tolist()) + "]"


def candidate_args(
    *, owner_id: int, model: str, scope: Scope, query: Float32Matrix, limit: int
) -> tuple[object, ...]:
    """The parameters of `candidates_sql`, in order."""
    return (*_scope_args(owner_id, model, scope), _vector_literal(pool(query)), limit)


def scan_modes(limit: int) -> tuple[bool, ...]:
    """The index scans to try for `limit` rows, in order: `True` drains the first search,
    `False` searches on. Past pgvector's bound on ef_search, an iterative scan searches the
    graph again from where it stopped, which cost as much as the first search for fewer rows:
    at 100k pages (hard data, one owner's partition) 29 ms for 1,893 rows against 22-25 ms
    when the rows past the first 1,000 are the rest of what the first search visited, nearest
    first (pgvector returns those once `hnsw.max_scan_tuples` is reached). Those held 0.992
    of the true top 3 against 1.000 (easy data: 0.983 either way). If too few of them pass
    the filters, the scan searches on."""
    return (True, False) if limit > MAX_EF_SEARCH else (False,)


async def prepare_scan(conn: Any, limit: int, *, drain: bool = False) -> None:
    """The settings for pulling `limit` rows (HNSW scan, sort memory), for this transaction;
    `drain`: see `scan_modes`."""
    await conn.execute(
        _SCAN_SETTINGS,
        str(min(limit, MAX_EF_SEARCH)),
        "1" if drain else str(max(20_000, 40 * limit)),
        f"{max(4096, _SORT_KB_A_ROW * limit)}kB",
    )


async def scope_pages(
    session: AsyncSession, *, owner_id: int, model: str, scope: Scope
) -> list[int]:
    """Every page of the scope (for `exact: true`)."""
    conn = await driver_connection(session)
    return [
        int(r["page_id"])
        for r in await conn.fetch(_SCOPE_PAGES, *_scope_args(owner_id, model, scope))
    ]


async def fetch_candidates(
    session: AsyncSession,
    *,
    owner_id: int,
    model: str,
    scope: Scope,
    query: Float32Matrix,
    limit: int,
) -> list[tuple[int, bytes]]:
    """Up to `limit` (page id, coarse centroids) of the scope, nearest by pooled vector first."""
    dim = int(query.shape[1])
    conn = await driver_connection(session)
    args = candidate_args(owner_id=owner_id, model=model, scope=scope, query=query, limit=limit)
    # A smaller scope is sorted whole: 300 rows, ~1 MB.
    for drain in scan_modes(limit) if uses_index(dim, scope.pages, limit) else ():
        await prepare_scan(conn, limit, drain=drain)
        rows = await conn.fetch(candidates_sql(dim, indexed=True), *args)
        if len(rows) >= limit:
            return [(int(r["page_id"]), r["coarse"]) for r in rows]
    # The scan gave up before `limit` rows of the scope passed (a scope that is a sliver of
    # the owner's pages): read the scope instead, exactly.
    rows = await conn.fetch(candidates_sql(dim, indexed=False), *args)
    return [(int(r["page_id"]), r["coarse"]) for r in rows]


async def best_candidates(
    session: AsyncSession,
    *,
    owner_id: int,
    model: str,
    scope: Scope,
    query: Float32Matrix,
    candidates: int,
    keep: int,
) -> list[int]:
    """The `keep` pages for the exact rerank: `candidates` pulled by pooled vector, the best
    third of them by their coarse centroids, the best `keep` of those by their 32."""
    pulled = await fetch_candidates(
        session, owner_id=owner_id, model=model, scope=scope, query=query, limit=candidates
    )
    shortlist = shortlist_count(candidates, keep)
    ids = await centroid_top(query, pulled, shortlist, COARSE)
    if len(ids) <= keep:  # nothing left to narrow
        return ids
    conn = await driver_connection(session)
    rows = await conn.fetch(_CENTROIDS, owner_id, sorted(ids))
    fine = [(int(r["page_id"]), r["centroids"]) for r in rows]
    return await centroid_top(query, fine, keep)


async def centroid_top(
    query: Float32Matrix, rows: list[tuple[int, bytes]], keep: int, slots: int = CENTROIDS
) -> list[int]:
    """The `keep` pages of `rows` with the best MaxSim over their `slots` centroids a page,
    scored in threads."""
    if len(rows) <= keep:  # nothing to narrow
        return [page_id for page_id, _ in rows]
    scores = await score_in_threads(
        partial(centroid_maxsim, slots=slots),
        query,
        [blob for _, blob in rows],
        min_part=CENTROID_BLOCK // slots,
    )
    best = np.argpartition(-scores, keep - 1)[:keep]
    return [rows[int(i)][0] for i in best]
