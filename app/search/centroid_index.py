"""The first stage: every page of an owner as a few centroids, in memory, scored by GEMM.

An exhaustive pass over all tokens of all pages would touch 1,030 vectors a page; the
centroids (16 a page, k-means of its tokens) keep the pages' main directions at 1/64 of the
work, so a first stage over 10,000 pages is 16 (10,000 x 128) x (128 x query tokens) matrix
products, about 8 ms on 2 cores (bench/search.py). The index is a cache: it is
loaded from Postgres per owner and reloaded when the owner's version (bumped by triggers on
page_embeddings) changes, so any number of API processes stay correct.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.vectors import CENTROIDS
from app.types import Float32Matrix

Ids = NDArray[np.int64]


@dataclass(frozen=True)
class OwnerIndex:
    version: int
    page_ids: Ids  # (pages,)
    collection_ids: Ids  # (pages,)
    document_ids: Ids  # (pages,)
    # (k, pages, dim): slot j of every page is one contiguous matrix, so scoring is k GEMMs
    # and k element-wise maxima, with no strided reduction over a small axis.
    slots: Float32Matrix

    @property
    def nbytes(self) -> int:
        return int(self.slots.nbytes + 3 * self.page_ids.nbytes)

    def scores(self, query: Float32Matrix, rows: Ids) -> Float32Matrix:
        """Approximate MaxSim of `query` (tokens, dim) against the pages at `rows`."""
        if 2 * len(rows) >= len(self.page_ids):  # most pages: score all, keep the rows
            return _slot_maxsim(query, self.slots)[rows]
        return _slot_maxsim(query, self.slots[:, rows])


def _slot_maxsim(query: Float32Matrix, slots: Float32Matrix) -> Float32Matrix:
    best = slots[0] @ query.T  # (pages, query tokens)
    for slot in slots[1:]:
        np.maximum(best, slot @ query.T, out=best)
    summed: Float32Matrix = best.sum(axis=1)
    return summed


class CentroidIndexCache:
    """Per-owner indexes, least recently used evicted past a memory budget."""

    def __init__(self, budget_bytes: int) -> None:
        self.budget = budget_bytes
        self._indexes: OrderedDict[tuple[int, str], OwnerIndex] = OrderedDict()
        self._locks: dict[tuple[int, str], asyncio.Lock] = {}
        self.loads = 0

    async def get(self, session: AsyncSession, owner_id: int, model: str) -> OwnerIndex:
        key = (owner_id, model)
        version = await current_version(session, owner_id)
        cached = self._indexes.get(key)
        if cached is not None and cached.version == version:
            self._indexes.move_to_end(key)
            return cached
        async with self._locks.setdefault(key, asyncio.Lock()):
            cached = self._indexes.get(key)
            if cached is None or cached.version != version:
                cached = await load(session, owner_id, model, version)
                self.loads += 1
                self._indexes[key] = cached
                self._evict()
        return cached

    def _evict(self) -> None:
        while (
            len(self._indexes) > 1 and sum(i.nbytes for i in self._indexes.values()) > self.budget
        ):
            self._indexes.popitem(last=False)


async def current_version(session: AsyncSession, owner_id: int) -> int:
    version = await session.scalar(
        text("SELECT version FROM search_index_versions WHERE owner_id = :owner"),
        {"owner": owner_id},
    )
    return int(version or 0)


async def load(session: AsyncSession, owner_id: int, model: str, version: int) -> OwnerIndex:
    rows = (
        await session.execute(
            text(
                "SELECT page_id, collection_id, document_id, dim, centroids FROM page_embeddings"
                " WHERE owner_id = :owner AND model = :model ORDER BY page_id"
            ),
            {"owner": owner_id, "model": model},
        )
    ).all()
    dim = int(rows[0].dim) if rows else 128
    slots = np.zeros((CENTROIDS, len(rows), dim), dtype=np.float32)
    for i, row in enumerate(rows):
        page = np.frombuffer(row.centroids, dtype=np.float16).reshape(-1, dim)
        # Pages with fewer tokens than centroids repeat their last one: the max is unchanged.
        slots[:, i] = page[np.minimum(np.arange(CENTROIDS), len(page) - 1)]
    return OwnerIndex(
        version=version,
        page_ids=np.array([r.page_id for r in rows], dtype=np.int64),
        collection_ids=np.array([r.collection_id for r in rows], dtype=np.int64),
        document_ids=np.array([r.document_id for r in rows], dtype=np.int64),
        slots=slots,
    )
