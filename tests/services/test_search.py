"""The search engine on structured synthetic pages written through the bulk path.

The tiny test model gives nearly identical vectors to similar pages, so the first stage's
quality is checked here, on pages with real structure (bench/synthetic.py, fewer tokens).
"""

from __future__ import annotations

import numpy as np
import pytest

from app.db.engine import Database
from app.db.models import User
from app.db.page_store import driver_connection
from app.db.vectors import encode
from app.search.centroid_index import CentroidIndexCache
from app.services.search import SearchRequest, reciprocal_rank_fusion, search_embedded
from app.settings import settings
from bench.synthetic import (
    PAGES_PER_DOC,
    document_pages,
    exact_maxsim,
    insert_documents,
    make_query,
    write_document,
)
from tests.conftest import make_user

TOKENS = 120
MODEL = "synthetic"
SEED = 7


async def store(db: Database, owner: User, documents: range) -> list[int]:
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
            pages = document_pages(SEED, generator_index, TOKENS)
            page_ids += await write_document(
                conn,
                owner_id=owner.id,
                collection_id=collection_id,
                document_id=document_id,
                model=MODEL,
                encoded=[encode(page) for page in pages],
            )
    return page_ids


async def top(
    db: Database, cache: CentroidIndexCache, owner: User, query: np.ndarray, **request: object
) -> list[int]:
    outcome = await search_embedded(
        db=db,
        cache=cache,
        owner=owner,
        model=MODEL,
        request=SearchRequest(**request),  # type: ignore[arg-type]
        query=query,
    )
    return [page for page, _ in outcome.hits]


async def test_first_stage_finds_what_exact_maxsim_finds(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """200 pages, a rerank of 10: the centroid stage must hand the exact top 3 to the rerank."""
    monkeypatch.setattr(settings, "search_rerank", 10)
    owner, _ = await make_user(db, "synthetic")
    page_ids = await store(db, owner, range(20))
    pages = np.concatenate([document_pages(SEED, d, TOKENS) for d in range(20)])
    cache = CentroidIndexCache(1 << 30)
    targets = range(0, 200, 13)
    queries = np.stack([make_query(SEED, t, TOKENS) for t in targets])
    truth = exact_maxsim(queries, pages)
    for query, target, scores in zip(queries, targets, truth, strict=True):
        expected = [page_ids[i] for i in np.argsort(-scores)[:3]]
        assert await top(db, cache, owner, query, top_k=3) == expected
        assert await top(db, cache, owner, query, top_k=3, exact=True) == expected
        assert expected[0] == page_ids[target]
    assert cache.loads == 1  # one load served every query


async def test_index_follows_writes_and_deletes(db: Database) -> None:
    owner, _ = await make_user(db, "writer")
    first = await store(db, owner, range(1))
    cache = CentroidIndexCache(1 << 30)
    query = make_query(SEED, 3 * PAGES_PER_DOC + 4, TOKENS)  # a page of generator document 3
    assert set(await top(db, cache, owner, query, top_k=20)) == set(first)
    later = await store(db, owner, range(3, 4))
    assert (await top(db, cache, owner, query, top_k=1)) == [later[4]]
    assert cache.loads == 2
    async with db.transaction() as session:
        conn = await driver_connection(session)
        await conn.execute("DELETE FROM pages WHERE id = $1", later[4])
    assert later[4] not in await top(db, cache, owner, query, top_k=20)
    assert cache.loads == 3


async def test_indexes_are_per_owner_and_evicted_past_the_budget(db: Database) -> None:
    ada, _ = await make_user(db, "ada")
    bea, _ = await make_user(db, "bea")
    ada_pages = await store(db, ada, range(1, 2))
    bea_pages = await store(db, bea, range(2, 3))
    cache = CentroidIndexCache(budget_bytes=1)  # room for one index at a time
    query = make_query(SEED, 1 * PAGES_PER_DOC, TOKENS)
    assert set(await top(db, cache, ada, query, top_k=20)) == set(ada_pages)
    assert set(await top(db, cache, bea, query, top_k=20)) == set(bea_pages)
    assert [key[0] for key in cache._indexes] == [bea.id]
    assert set(await top(db, cache, ada, query, top_k=20)) == set(ada_pages)
    assert cache.loads == 3


async def test_partial_scopes_score_the_same_as_the_whole_index(db: Database) -> None:
    owner, _ = await make_user(db, "scoped")
    await store(db, owner, range(4))
    cache = CentroidIndexCache(1 << 30)
    async with db.session() as session:
        index = await cache.get(session, owner.id or 0, MODEL)
    query = make_query(SEED, 5, TOKENS)
    every = index.scores(query, np.arange(len(index.page_ids)))
    few = np.array([3, 17, 30])
    most = np.arange(5, 40)
    np.testing.assert_allclose(index.scores(query, few), every[few], rtol=1e-6)
    np.testing.assert_allclose(index.scores(query, most), every[most], rtol=1e-6)


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    visual = [(1, 9.0), (2, 8.0), (3, 7.0)]
    textual = [(3, 0.9), (4, 0.5)]
    fused = reciprocal_rank_fusion([visual, textual])
    assert [page for page, _ in fused] == [3, 1, 2, 4]
    assert fused[0][1] == pytest.approx(1 / 63 + 1 / 61)
