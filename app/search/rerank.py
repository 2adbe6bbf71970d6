"""Exact MaxSim over the stored vectors of a set of pages, fetched in blocks next to Postgres.

Scoring is NumPy work that releases the GIL, so it runs in threads, off the event loop, and
can overlap the fetches: each block is scored while the next one is read. On 2 cores that
buys little, since Postgres needs one too: 32 pages of 1,030 tokens, warm, are ~6 ms of
fetch and ~5 ms of scoring (app/db/vectors.py `maxsim_stored`); more cores overlap more.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.vectors import maxsim_stored
from app.types import Float32Matrix

MIN_BLOCK, MAX_BLOCK = 16, 256  # pages per fetch: at most ~35 MB of int8 vectors in one

_FETCH = text(
    "SELECT page_id, vectors FROM page_embeddings WHERE owner_id = :owner AND page_id = ANY(:ids)"
).bindparams(bindparam("ids", type_=ARRAY(BIGINT)))


async def exact_scores(
    session: AsyncSession, owner_id: int, query: Float32Matrix, page_ids: Sequence[int]
) -> dict[int, float]:
    """MaxSim of `query` against each page: for every query token its best dot product, summed."""
    size = min(MAX_BLOCK, max(MIN_BLOCK, -(-len(page_ids) // 4)))  # a rerank: 4 blocks
    scoring: list[asyncio.Future[dict[int, float]]] = []
    for start in range(0, len(page_ids), size):
        block = [int(i) for i in page_ids[start : start + size]]
        rows = (await session.execute(_FETCH, {"owner": owner_id, "ids": block})).all()
        scoring.append(asyncio.ensure_future(asyncio.to_thread(_score_rows, query, rows)))
        if len(scoring) > 4:  # a long `exact` scan: hold at most a few blocks in memory
            await scoring[-5]
    scores: dict[int, float] = {}
    for part in await asyncio.gather(*scoring):
        scores.update(part)
    return scores


def _score_rows(query: Float32Matrix, rows: Sequence[Any]) -> dict[int, float]:
    if not rows:
        return {}
    scores = maxsim_stored(query, [r.vectors for r in rows])
    return {int(r.page_id): float(score) for r, score in zip(rows, scores, strict=True)}


def top(scores: dict[int, float], k: int) -> list[tuple[int, float]]:
    """The k best (page, score) pairs, best first; ties broken by page id for stable order."""
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]


def as_query(vectors: np.ndarray) -> Float32Matrix:
    return np.ascontiguousarray(vectors, dtype=np.float32)
