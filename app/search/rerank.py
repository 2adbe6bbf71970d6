"""Exact MaxSim over the stored vectors of a set of pages, fetched in blocks from Postgres.

A rerank (up to BLOCK pages) is one fetch, scored in threads on every core
(`score_in_threads`). A longer list (`exact: true`) is fetched block by block, each block
scored while the next one is read. However many searches run at once, the process holds
at most HELD blocks of stored vectors: its memory is bounded by its cores, not by its clients.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Sequence

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.page_store import driver_connection
from app.db.vectors import maxsim_stored
from app.search.parallel import PARTS, score_in_threads
from app.types import Float32Matrix

BLOCK = 64  # pages per fetch: ~8.4 MB of int8 vectors at 1,030 tokens a page
# Blocks held at once, all searches together: those the cores score and one being read. On
# 2 cores, 8 clients at 100k pages after 40 searches (the bench corpus, through the service
# bench.search drives): 2 blocks peaked the process at +37-45 MB but cost 7% of searches/s
# at 10k; 3 blocks +51-55 MB at full speed; 4 blocks +58-65 MB.
HELD = PARTS + 1
MIN_PART = 8  # pages a thread scores at least (~1.5 ms)

_FETCH = "SELECT page_id, vectors FROM page_embeddings WHERE owner_id = $1 AND page_id = ANY($2)"
_held: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def _blocks() -> asyncio.Semaphore:
    """The running loop's count of blocks (a semaphore belongs to one event loop)."""
    loop = asyncio.get_running_loop()
    if loop not in _held:
        _held[loop] = asyncio.Semaphore(HELD)
    return _held[loop]


async def exact_scores(
    session: AsyncSession, owner_id: int, query: Float32Matrix, page_ids: Sequence[int]
) -> dict[int, float]:
    """MaxSim of `query` against each page: for every query token its best dot product, summed."""
    conn = await driver_connection(session)
    blocks = _blocks()
    scoring: list[asyncio.Future[dict[int, float]]] = []
    for start in range(0, len(page_ids), BLOCK):
        await blocks.acquire()
        try:
            rows = await conn.fetch(
                _FETCH, owner_id, [int(i) for i in page_ids[start : start + BLOCK]]
            )
        except BaseException:
            blocks.release()
            raise
        scoring.append(asyncio.ensure_future(_score_rows(query, rows, blocks)))
    scores: dict[int, float] = {}
    for part in await asyncio.gather(*scoring):
        scores.update(part)
    return scores


async def _score_rows(
    query: Float32Matrix, rows: Sequence[tuple[int, bytes]], blocks: asyncio.Semaphore
) -> dict[int, float]:
    try:
        blobs = [row[1] for row in rows]
        scores = await score_in_threads(maxsim_stored, query, blobs, min_part=MIN_PART)
    finally:
        blocks.release()
    return {int(row[0]): float(score) for row, score in zip(rows, scores, strict=True)}


def top(scores: dict[int, float], k: int) -> list[tuple[int, float]]:
    """The k best (page, score) pairs, best first; ties broken by page id for stable order."""
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]


def as_query(vectors: np.ndarray) -> Float32Matrix:
    return np.ascontiguousarray(vectors, dtype=np.float32)
