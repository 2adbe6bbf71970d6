"""Similarity maps of search results, computed on demand from the stored vectors."""

from __future__ import annotations

import asyncio

import numpy as np

from app.embeddings.base import QueryEmbedding
from app.search.similarity_map import SimilarityMap, similarity_map
from app.services.pages import StoredPatches


async def page_similarity_map(
    *, query: QueryEmbedding, patches: StoredPatches
) -> SimilarityMap | None:
    """The query's map over one page; None when the page has no patch grid (a model whose
    patches form none, pooled vectors, or vectors stored before grids were)."""
    if patches.grid is None:
        return None
    vectors = np.asarray(query.vectors, dtype=np.float32)  # (query tokens, dim)
    # A service too old to send token strings: number the tokens instead.
    tokens = query.tokens or [f"#{i + 1}" for i in range(vectors.shape[0])]
    grid = patches.grid
    # NumPy work: off the event loop, like every other scoring.
    return await asyncio.to_thread(
        similarity_map, vectors, tokens, patches.vectors, patches.dim, grid
    )
