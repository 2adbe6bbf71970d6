"""Exact MaxSim over the stored vectors of a set of pages, fetched in blocks next to Postgres.

Decoding and scoring a block is NumPy work of ~10 ms: it runs in a thread, so the event loop
keeps serving other requests meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.vectors import decode, maxsim
from app.types import Float32Matrix

BLOCK = 256  # pages per fetch: ~35 MB of int8 vectors at most in flight

_FETCH = text(
    "SELECT page_id, dim, vectors FROM page_embeddings"
    " WHERE owner_id = :owner AND page_id = ANY(:ids)"
).bindparams(bindparam("ids", type_=ARRAY(BIGINT)))


async def exact_scores(
    session: AsyncSession, owner_id: int, query: Float32Matrix, page_ids: Sequence[int]
) -> dict[int, float]:
    """MaxSim of `query` against each page: for every query token its best dot product, summed."""
    scores: dict[int, float] = {}
    for start in range(0, len(page_ids), BLOCK):
        block = [int(i) for i in page_ids[start : start + BLOCK]]
        rows = (await session.execute(_FETCH, {"owner": owner_id, "ids": block})).all()
        scores.update(await asyncio.to_thread(_score_rows, query, rows))
    return scores


def _score_rows(query: Float32Matrix, rows: Sequence[Any]) -> dict[int, float]:
    return {int(r.page_id): maxsim(query, decode(r.vectors, r.dim)) for r in rows}


def top(scores: dict[int, float], k: int) -> list[tuple[int, float]]:
    """The k best (page, score) pairs, best first; ties broken by page id for stable order."""
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]


def as_query(vectors: np.ndarray) -> Float32Matrix:
    return np.ascontiguousarray(vectors, dtype=np.float32)
