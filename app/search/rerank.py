"""Exact MaxSim over the stored vectors of a set of pages, fetched in blocks from Postgres.

A rerank (up to MAX_BLOCK pages) is one fetch, scored in threads on every core
(`score_in_threads`). A longer list (`exact: true`) is fetched block by block, each block
scored while the next one is read, with at most a few blocks held at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.page_store import driver_connection
from app.db.vectors import maxsim_stored
from app.search.parallel import score_in_threads
from app.types import Float32Matrix

MAX_BLOCK = 256  # pages per fetch: at most ~35 MB of int8 vectors in one
MIN_PART = 8  # pages a thread scores at least (~1.5 ms)
IN_FLIGHT = 4  # blocks being scored while the next is fetched

_FETCH = "SELECT page_id, vectors FROM page_embeddings WHERE owner_id = $1 AND page_id = ANY($2)"


async def exact_scores(
    session: AsyncSession, owner_id: int, query: Float32Matrix, page_ids: Sequence[int]
) -> dict[int, float]:
    """MaxSim of `query` against each page: for every query token its best dot product, summed."""
    conn = await driver_connection(session)
    scoring: list[asyncio.Future[dict[int, float]]] = []
    for start in range(0, len(page_ids), MAX_BLOCK):
        block = [int(i) for i in page_ids[start : start + MAX_BLOCK]]
        rows = await conn.fetch(_FETCH, owner_id, block)
        scoring.append(asyncio.ensure_future(_score_rows(query, rows)))
        if len(scoring) > IN_FLIGHT:  # a long `exact` scan: hold at most a few blocks
            await scoring[-IN_FLIGHT - 1]
    scores: dict[int, float] = {}
    for part in await asyncio.gather(*scoring):
        scores.update(part)
    return scores


async def _score_rows(query: Float32Matrix, rows: Sequence[tuple[int, bytes]]) -> dict[int, float]:
    blobs = [row[1] for row in rows]
    scores = await score_in_threads(maxsim_stored, query, blobs, min_part=MIN_PART)
    return {int(row[0]): float(score) for row, score in zip(rows, scores, strict=True)}


def top(scores: dict[int, float], k: int) -> list[tuple[int, float]]:
    """The k best (page, score) pairs, best first; ties broken by page id for stable order."""
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]


def as_query(vectors: np.ndarray) -> Float32Matrix:
    return np.ascontiguousarray(vectors, dtype=np.float32)
