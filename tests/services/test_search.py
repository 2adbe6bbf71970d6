"""The search engine on structured synthetic pages written through the bulk path.

The tiny test model gives nearly identical vectors to similar pages, so the first stage's
quality is checked here, on pages with real structure (bench/synthetic.py, fewer tokens),
128-dimensional like the ColPali family's, so the HNSW index of migration 0006 serves them.
"""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pytest
from sqlalchemy import text

from app.db.engine import Database
from app.db.models import User
from app.db.page_store import driver_connection
from app.db.vectors import decode, encode
from app.search import first_stage, parallel, rerank
from app.search.rerank import exact_scores
from app.search.scope import Scope
from app.services.documents import update_document
from app.services.search import SearchRequest, reciprocal_rank_fusion, search_embedded
from app.settings import settings
from bench.synthetic import (
    PAGES_PER_DOC,
    document_pages,
    exact_maxsim,
    hard_document_pages,
    hard_query,
    insert_documents,
    make_query,
    write_document,
)
from tests.conftest import make_user

TOKENS = 120
MODEL = "synthetic"
SEED = 7


async def store(db: Database, owner: User, documents: range, *, hard: bool = False) -> list[int]:
    """Synthetic documents (by generator index) in one collection; page ids, in order."""
    assert owner.id is not None
    async with db.transaction() as session:
        conn = await driver_connection(session)
        collection_id = await conn.fetchval(
            "INSERT INTO collections (owner_id, name, model, metadata) VALUES ($1, $2, $3, '{}')"
            " ON CONFLICT (owner_id, name) DO UPDATE SET name = excluded.name RETURNING id",
            owner.id,
            "synthetic",
            MODEL,
        )
        document_ids = await insert_documents(
            conn,
            owner_id=owner.id,
            collection_id=collection_id,
            count=len(documents),
            first=documents[0],
        )
        page_ids: list[int] = []
        for generator_index, document_id in zip(documents, document_ids, strict=True):
            generate = hard_document_pages if hard else document_pages
            pages = generate(SEED, generator_index, TOKENS)
            page_ids += await write_document(
                conn,
                owner_id=owner.id,
                collection_id=collection_id,
                document_id=document_id,
                model=MODEL,
                encoded=[encode(page) for page in pages],
            )
    return page_ids


async def top(db: Database, owner: User, query: np.ndarray, **request: object) -> list[int]:
    outcome = await search_embedded(
        db=db,
        owner=owner,
        model=MODEL,
        request=SearchRequest(**request),  # type: ignore[arg-type]
        query=query,
    )
    return [page for page, _ in outcome.hits]


@pytest.mark.parametrize("hard", [False, True], ids=["easy", "hard"])
async def test_first_stage_finds_what_exact_maxsim_finds(
    db: Database, monkeypatch: pytest.MonkeyPatch, hard: bool
) -> None:
    """200 pages, 40 candidates from the index, a rerank of 10: the exact top 3 survives."""
    monkeypatch.setattr(settings, "search_rerank", 10)
    monkeypatch.setattr(settings, "search_candidates", 40)
    owner, _ = await make_user(db, f"synthetic-{hard}")
    page_ids = await store(db, owner, range(20), hard=hard)
    generate, make = (hard_document_pages, hard_query) if hard else (document_pages, make_query)
    # Ground truth on the vectors as stored (int8): near-ties in the hard set can swap order
    # under the rounding, and `exact` promises MaxSim over what is stored.
    pages = np.stack(
        [decode(encode(page).vectors, 128) for d in range(20) for page in generate(SEED, d, TOKENS)]
    )
    targets = range(0, 200, 13)
    queries = np.stack([make(SEED, t, TOKENS) for t in targets])
    truth = exact_maxsim(queries, pages)
    found = 0
    for query, scores in zip(queries, truth, strict=True):
        expected = [page_ids[i] for i in np.argsort(-scores)[:3]]
        got = await top(db, owner, query, top_k=3)
        found += len(set(got) & set(expected))
        assert await top(db, owner, query, top_k=3, exact=True) == expected
    # Approximate by design (HNSW, then centroids): nearly all of the exact top 3 is kept.
    assert found >= 0.95 * 3 * len(targets)


def test_larger_scopes_pull_more_candidates() -> None:
    """Up to 10k pages the setting holds; past it the pull grows (sublinearly), never below
    the rerank's size."""
    base = settings.search_candidates
    pulls = [first_stage.candidate_count(pages, 64) for pages in (500, 10_000, 20_000, 100_000)]
    assert pulls[:2] == [base, base]
    assert base < pulls[2] < pulls[3] < base * 10
    assert first_stage.candidate_count(10_000, rerank=base * 2) == base * 2


def test_larger_scopes_rerank_more_pages() -> None:
    """The rerank grows too, more slowly (twice the setting at 100k pages), never below k."""
    base = settings.search_rerank
    reranks = [first_stage.rerank_count(pages, 3) for pages in (500, 10_000, 20_000, 100_000)]
    assert reranks[:2] == [base, base]
    assert base < reranks[2] < reranks[3] == 2 * base
    assert first_stage.rerank_count(500, k=base + 7) == base + 7


async def test_a_committed_document_is_searchable_on_the_next_query(db: Database) -> None:
    """No reload, no cache: the commit that writes the pages makes them candidates."""
    owner, _ = await make_user(db, "writer")
    first = await store(db, owner, range(1))
    query = make_query(SEED, 3 * PAGES_PER_DOC + 4, TOKENS)  # a page of generator document 3
    assert set(await top(db, owner, query, top_k=20)) == set(first)
    later = await store(db, owner, range(3, 4))
    assert (await top(db, owner, query, top_k=1)) == [later[4]]
    async with db.transaction() as session:
        conn = await driver_connection(session)
        await conn.execute("DELETE FROM pages WHERE id = $1", later[4])
    assert later[4] not in await top(db, owner, query, top_k=20)


async def test_owners_never_see_each_others_pages(db: Database) -> None:
    ada, _ = await make_user(db, "ada")
    bea, _ = await make_user(db, "bea")
    ada_pages = await store(db, ada, range(1, 2))
    bea_pages = await store(db, bea, range(2, 3))
    query = make_query(SEED, 1 * PAGES_PER_DOC, TOKENS)
    assert set(await top(db, ada, query, top_k=20)) == set(ada_pages)
    assert set(await top(db, bea, query, top_k=20)) == set(bea_pages)


async def test_filtered_index_scans_return_only_the_scope(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document filter under the HNSW scan: candidates come only from the scope, and the
    scope's best page is found even when it is far from the owner's best."""
    monkeypatch.setattr(settings, "search_rerank", 5)
    monkeypatch.setattr(settings, "search_candidates", 20)
    owner, _ = await make_user(db, "scoped")
    page_ids = await store(db, owner, range(12))
    by_document = [page_ids[d * PAGES_PER_DOC : (d + 1) * PAGES_PER_DOC] for d in range(12)]
    query = make_query(SEED, 0 * PAGES_PER_DOC + 2, TOKENS)  # a page of document 0
    scope_documents = range(6, 12)  # 60 pages: more than the candidates, so the index runs
    hits = await top(
        db, owner, query, top_k=10, document_filter={"doc": {"$in": list(scope_documents)}}
    )
    allowed = {p for d in scope_documents for p in by_document[d]}
    assert hits and set(hits) <= allowed
    exact = await top(db, owner, query, top_k=10, exact=True, document_filter={"doc": {"$gte": 6}})
    assert hits[0] == exact[0]


async def test_an_early_stop_of_the_index_scan_falls_back_to_the_whole_scope(
    db: Database,
) -> None:
    """A scope estimated larger than it is (page counts not yet updated): the index scan
    returns fewer rows than asked, and the exact scan of the scope takes over."""
    owner, _ = await make_user(db, "estimate")
    page_ids = await store(db, owner, range(3))
    async with db.session() as session:
        collection = await session.scalar(
            text("SELECT id FROM collections WHERE owner_id = :o"), {"o": owner.id}
        )
        scope = Scope(frozenset({int(collection)}), None, pages=10_000)
        rows = await first_stage.fetch_candidates(
            session,
            owner_id=owner.id or 0,
            model=MODEL,
            scope=scope,
            query=make_query(SEED, 5, TOKENS),
            limit=500,
        )
    assert sorted(page for page, _ in rows) == sorted(page_ids)


async def test_past_the_bound_on_ef_search_the_scan_drains_then_searches_on(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More rows than one search's ef_search (pgvector's bound, lowered here to 4): the scan
    returns the rest of what the first search visited, or searches on if too few of those
    pass the filter; either way `limit` rows of the scope, the nearest among them."""
    monkeypatch.setattr(first_stage, "MAX_EF_SEARCH", 4)
    owner, _ = await make_user(db, "drain")
    page_ids = await store(db, owner, range(12))
    query = make_query(SEED, 2, TOKENS)
    async with db.session() as session:
        collection = await session.scalar(
            text("SELECT id FROM collections WHERE owner_id = :o"), {"o": owner.id}
        )
        for documents in (None, range(6, 12)):  # all 120 pages; 60 of them
            scoped = page_ids if documents is None else page_ids[6 * PAGES_PER_DOC :]
            document_ids = None
            if documents is not None:
                rows = await session.execute(
                    text("SELECT DISTINCT document_id FROM pages WHERE id = ANY(:ids)"),
                    {"ids": scoped},
                )
                document_ids = frozenset(int(r[0]) for r in rows)
            scope = Scope(frozenset({int(collection)}), document_ids, pages=len(scoped))
            pulled = await first_stage.fetch_candidates(
                session, owner_id=owner.id or 0, model=MODEL, scope=scope, query=query, limit=30
            )
            assert len(pulled) == 30 and {p for p, _ in pulled} <= set(scoped)
            nearest = await session.execute(
                text(
                    "SELECT page_id FROM page_keys WHERE page_id = ANY(:ids)"
                    " ORDER BY page_vector <#> CAST(CAST(:q AS text) AS halfvec) LIMIT 3"
                ),
                {
                    "ids": scoped,
                    "q": first_stage.candidate_args(
                        owner_id=0, model=MODEL, scope=scope, query=query, limit=1
                    )[5],
                },
            )
            assert {int(r[0]) for r in nearest} <= {p for p, _ in pulled}


async def test_a_moved_document_is_searched_in_its_new_collection(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Moving documents moves their pages' keys: the first stage (the index scan: 30 pages
    against 20 candidates) finds them in the new collection and no longer in the old one."""
    monkeypatch.setattr(settings, "search_rerank", 5)
    monkeypatch.setattr(settings, "search_candidates", 20)
    owner, _ = await make_user(db, "mover")
    page_ids = await store(db, owner, range(12))
    moved = set(page_ids[: 3 * PAGES_PER_DOC])  # documents 0-2
    async with db.transaction() as session:
        await session.execute(
            text(
                "INSERT INTO collections (owner_id, name, model, metadata)"
                " VALUES (:o, 'other', :m, '{}')"
            ),
            {"o": owner.id, "m": MODEL},
        )
        for document in range(3):
            await update_document(
                session=session,
                owner=owner,
                collection_name="synthetic",
                name=f"doc-{document}",
                new_collection_name="other",
            )
    query = make_query(SEED, 2, TOKENS)  # a page of document 0
    found = await top(db, owner, query, top_k=10, collection_name="other")
    assert found[0] == page_ids[2] and set(found) <= moved
    assert moved.isdisjoint(await top(db, owner, query, top_k=10, collection_name="synthetic"))


async def test_the_index_scan_walks_only_the_owner_partition(db: Database) -> None:
    """page_keys is partitioned by owner: the candidate query's plan keeps one partition, the
    owner's, and scans its HNSW graph. For so few rows the planner would read them by another
    index and sort them; it is told not to (no sequential or bitmap scan, no sort), as it would
    not for a large scope."""
    owners = [(await make_user(db, name))[0] for name in ("part-a", "part-b", "part-c")]
    for owner in owners:
        await store(db, owner, range(2))
    for owner in owners:
        async with db.transaction() as session:
            conn = await driver_connection(session)
            home = await conn.fetchval(
                "SELECT DISTINCT tableoid::regclass::text FROM page_keys WHERE owner_id = $1",
                owner.id,
            )
            collections = await conn.fetch(
                "SELECT id FROM collections WHERE owner_id = $1", owner.id
            )
            scope = Scope(frozenset(int(r["id"]) for r in collections), None, pages=20)
            await first_stage.prepare_scan(conn, 5)
            await conn.execute("SET LOCAL enable_seqscan = off")
            await conn.execute("SET LOCAL enable_bitmapscan = off")
            await conn.execute("SET LOCAL enable_sort = off")
            args = first_stage.candidate_args(
                owner_id=owner.id or 0,
                model=MODEL,
                scope=scope,
                query=make_query(SEED, 3, TOKENS),
                limit=5,
            )
            plan = "\n".join(
                r[0]
                for r in await conn.fetch(
                    "EXPLAIN (COSTS OFF) " + first_stage.candidates_sql(128, indexed=True), *args
                )
            )
        assert f"Index Scan using {home}_page_vector_idx on {home}" in plan, plan
        assert plan.count("page_keys_") == 2, plan  # the index and its partition, no other


async def test_the_rerank_skips_pages_deleted_since_they_were_chosen(db: Database) -> None:
    """The rerank's fetch finds none (or only some) of the chosen pages: it scores what is
    there and errs on nothing."""
    owner, _ = await make_user(db, "gone")
    page_ids = await store(db, owner, range(1))
    gone = max(page_ids) + 1000
    query = make_query(SEED, 0, TOKENS)
    async with db.session() as session:
        assert await exact_scores(session, owner.id or 0, query, [gone]) == {}
        kept = await exact_scores(session, owner.id or 0, query, [page_ids[0], gone])
    assert set(kept) == {page_ids[0]}


async def test_searches_at_once_hold_a_bounded_number_of_blocks(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twelve exact scans of 200 pages at once (48 blocks of stored vectors) score the same as
    one alone, while the process holds at most `HELD` blocks: memory bounded by cores, not
    by clients."""
    owner, _ = await make_user(db, "held")
    page_ids = await store(db, owner, range(20))
    queries = [make_query(SEED, t, TOKENS) for t in range(12)]
    async with db.session() as session:
        alone = [await exact_scores(session, owner.id or 0, q, page_ids) for q in queries]
    scoring, peak = 0, 0
    real = parallel.score_in_threads

    async def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal scoring, peak
        scoring += 1
        peak = max(peak, scoring)
        try:
            return await real(*args, **kwargs)
        finally:
            scoring -= 1

    monkeypatch.setattr(rerank, "score_in_threads", counted)

    async def scan(query: np.ndarray) -> dict[int, float]:
        async with db.session() as session:
            return await exact_scores(session, owner.id or 0, query, page_ids)

    together = await asyncio.gather(*(scan(q) for q in queries))
    assert together == alone
    assert 1 < peak <= rerank.HELD


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    visual = [(1, 9.0), (2, 8.0), (3, 7.0)]
    textual = [(3, 0.9), (4, 0.5)]
    fused = reciprocal_rank_fusion([visual, textual])
    assert [page for page, _ in fused] == [3, 1, 2, 4]
    assert fused[0][1] == pytest.approx(1 / 63 + 1 / 61)
