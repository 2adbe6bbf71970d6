"""Why a page matched: each query token's similarity to each image patch of the page.

The interpretability maps of colpali-engine (`get_similarity_maps_from_embeddings`), from the
stored vectors: a query token's row holds its dot product with every patch of the page's
grid, row-major; the row's maximum over all of the page's tokens is what that token adds to
the MaxSim score. Pure NumPy on one page: well under a millisecond for the usual sizes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.db.vectors import decode
from app.types import Float32Matrix
from gpu.wire import PatchGrid

DECIMALS = 4  # the map is for drawing: four decimals keep the JSON small


@dataclass(frozen=True)
class SimilarityMap:
    rows: int
    columns: int
    tokens: list[str]
    values: list[list[float]]  # tokens x (rows * columns), row-major


def patch_similarities(query: Float32Matrix, page: Float32Matrix, grid: PatchGrid) -> Float32Matrix:
    """(query tokens, rows * columns): every query token against every image patch."""
    patches = page[grid.offset : grid.offset + grid.rows * grid.columns]  # (patches, dim)
    if patches.shape[0] != grid.rows * grid.columns:
        raise ValueError(f"grid {grid} does not fit a page of {page.shape[0]} tokens")
    similarities: Float32Matrix = np.asarray(query, dtype=np.float32) @ patches.T
    return similarities


def similarity_map(
    query: Float32Matrix, tokens: list[str], stored: bytes, dim: int, grid: PatchGrid
) -> SimilarityMap:
    """The map of one page (its vectors as stored) for one embedded query and its tokens."""
    values = patch_similarities(query, decode(stored, dim), grid)
    return SimilarityMap(
        rows=grid.rows,
        columns=grid.columns,
        tokens=tokens,
        values=np.round(values.astype(np.float64), DECIMALS).tolist(),
    )
