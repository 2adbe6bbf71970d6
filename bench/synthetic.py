"""Structured synthetic multi-vectors, for the search benchmark and the search tests.

A document has a few topic directions; each of its pages a dozen regions drawn around them;
each token (unit length, float16 as a model returns them) is scattered around one region of
its page. A query is noisy copies of some tokens of one chosen page, so the right page is
known. Everything is deterministic in (seed, document).

`hard_document_pages` / `hard_query` make a harder set: topics drawn from one pool shared by
the whole corpus, a quarter of every page's tokens from background directions all pages share
(margins, blank areas), and queries built from a page's region directions, not its tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from app.db import page_store
from app.db.vectors import EncodedPage
from app.ingest.render import RenderedPage

DIM, TOKENS, PAGES_PER_DOC, TOPICS, REGIONS = 128, 1030, 10, 6, 12
QUERY_TOKENS = 20
F16 = NDArray[np.float16]
F32 = NDArray[np.float32]


def _unit(x: F32) -> F32:
    normed: F32 = x / np.linalg.norm(x, axis=-1, keepdims=True)
    return normed


def document_pages(seed: int, doc: int, tokens: int = TOKENS) -> F16:
    """The (pages, tokens, dim) multi-vectors of one document."""
    rng = np.random.default_rng([seed, doc])
    topics = _unit(rng.standard_normal((TOPICS, DIM), dtype=np.float32))
    own = _unit(rng.standard_normal((PAGES_PER_DOC, REGIONS, DIM), dtype=np.float32))
    regions = _unit(topics[rng.integers(0, TOPICS, (PAGES_PER_DOC, REGIONS))] + 0.8 * own)
    assign = rng.integers(0, REGIONS, (PAGES_PER_DOC, tokens))
    noise = _unit(rng.standard_normal((PAGES_PER_DOC, tokens, DIM), dtype=np.float32))
    vectors = _unit(regions[np.arange(PAGES_PER_DOC)[:, None], assign] + noise)
    return vectors.astype(np.float16)


def make_query(seed: int, page: int, tokens: int = TOKENS) -> F32:
    """QUERY_TOKENS noisy copies of tokens of global page `page` (document page // 10)."""
    rng = np.random.default_rng([seed, page, 1])
    source = document_pages(seed, page // PAGES_PER_DOC, tokens)[page % PAGES_PER_DOC]
    picked = source[rng.choice(tokens, QUERY_TOKENS, replace=False)].astype(np.float32)
    noise = _unit(rng.standard_normal((QUERY_TOKENS, DIM), dtype=np.float32))
    return _unit(picked + 0.5 * noise).astype(np.float16).astype(np.float32)


SHARED_TOPICS, BACKGROUND, BACKGROUND_SHARE = 64, 8, 0.25


def _corpus(seed: int) -> tuple[F32, F32]:
    """The topics every document draws from and the background directions all pages share."""
    rng = np.random.default_rng([seed, 2**31])
    topics = _unit(rng.standard_normal((SHARED_TOPICS, DIM), dtype=np.float32))
    background = _unit(rng.standard_normal((BACKGROUND, DIM), dtype=np.float32))
    return topics, background


def _hard_regions(seed: int, doc: int) -> tuple[F32, np.random.Generator]:
    topics, _ = _corpus(seed)
    rng = np.random.default_rng([seed, doc, 3])
    chosen = topics[rng.choice(SHARED_TOPICS, 3, replace=False)]
    own = _unit(rng.standard_normal((PAGES_PER_DOC, REGIONS, DIM), dtype=np.float32))
    regions = _unit(chosen[rng.integers(0, 3, (PAGES_PER_DOC, REGIONS))] + 0.9 * own)
    return regions, rng


def hard_document_pages(seed: int, doc: int, tokens: int = TOKENS) -> F16:
    """Like `document_pages`, with shared topics and shared background tokens."""
    _, background = _corpus(seed)
    regions, rng = _hard_regions(seed, doc)
    assign = rng.integers(0, REGIONS, (PAGES_PER_DOC, tokens))
    centers = regions[np.arange(PAGES_PER_DOC)[:, None], assign]
    is_background = rng.random((PAGES_PER_DOC, tokens)) < BACKGROUND_SHARE
    centers[is_background] = background[rng.integers(0, BACKGROUND, int(is_background.sum()))]
    noise = _unit(rng.standard_normal((PAGES_PER_DOC, tokens, DIM), dtype=np.float32))
    return _unit(centers + noise).astype(np.float16)


def hard_query(seed: int, page: int, tokens: int = TOKENS) -> F32:
    """Tokens near the region directions of global page `page` (not copies of its tokens),
    a few near the shared background, all with fresh noise."""
    _, background = _corpus(seed)
    regions, _ = _hard_regions(seed, page // PAGES_PER_DOC)
    rng = np.random.default_rng([seed, page, 4])
    own = regions[page % PAGES_PER_DOC][rng.integers(0, REGIONS, QUERY_TOKENS - 4)]
    shared = background[rng.integers(0, BACKGROUND, 4)]
    noise = _unit(rng.standard_normal((QUERY_TOKENS, DIM), dtype=np.float32))
    return _unit(np.concatenate([own, shared]) + 0.9 * noise).astype(np.float16).astype(np.float32)


GENERATORS = {"easy": (document_pages, make_query), "hard": (hard_document_pages, hard_query)}


def exact_maxsim(queries: F32, pages: F16 | F32) -> F32:
    """Exact MaxSim of every query (n, tokens, dim) against every page: (n, pages)."""
    stacked = queries.reshape(-1, queries.shape[-1])
    out = np.empty((len(queries), len(pages)), dtype=np.float32)
    for i, page in enumerate(pages):
        sims = stacked @ page.astype(np.float32).T  # (n * query tokens, page tokens)
        out[:, i] = sims.max(axis=1).reshape(len(queries), -1).sum(axis=1)
    return out


async def insert_documents(
    conn: Any, *, owner_id: int, collection_id: int, count: int, first: int = 0
) -> list[int]:
    """READY documents `first` .. `first + count - 1` (name doc-i, metadata {"doc": i}); ids."""
    rows = await conn.fetch(
        "INSERT INTO documents (collection_id, owner_id, name, metadata, source, status,"
        " page_count, progress) SELECT $1, $2, 'doc-' || i, jsonb_build_object('doc', i),"
        " 'UPLOAD', 'READY', $3, 1.0 FROM generate_series($4::int, $4 + $5 - 1) i ORDER BY i"
        " RETURNING id",
        collection_id,
        owner_id,
        PAGES_PER_DOC,
        first,
        count,
    )
    return [int(r["id"]) for r in rows]


async def write_document(
    conn: Any,
    *,
    owner_id: int,
    collection_id: int,
    document_id: int,
    model: str,
    encoded: Sequence[EncodedPage],
) -> list[int]:
    """One document's pages (no image) and embeddings through the service's bulk path."""
    pages = [
        RenderedPage(n, 800, 1000, b"", "image/webp", f"page {n}")
        for n in range(1, len(encoded) + 1)
    ]
    return await page_store.write_document(
        conn,
        document_id=document_id,
        owner_id=owner_id,
        collection_id=collection_id,
        model=model,
        pages=pages,
        embeddings=encoded,
    )
