"""Similarity maps from stored vectors: each query token against each patch of the grid."""

from __future__ import annotations

import numpy as np
import pytest

from app.db import vectors
from app.search.similarity_map import patch_similarities, similarity_map
from app.types import Float32Matrix
from gpu.wire import PatchGrid

RNG = np.random.default_rng(0)


def unit(rows: int, dim: int = 128) -> Float32Matrix:
    matrix = RNG.standard_normal((rows, dim)).astype(np.float32)
    normed: Float32Matrix = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    return normed


def test_values_are_dot_products_with_the_patches_row_major() -> None:
    page = unit(4 + 6 + 3)  # 4 prompt tokens, a 2 x 3 grid of patches, 3 more tokens
    query = unit(5)
    grid = PatchGrid(offset=4, rows=2, columns=3)
    values = patch_similarities(query, page, grid)
    assert values.shape == (5, 6)
    assert np.allclose(values[2, 1 * 3 + 2], query[2] @ page[4 + 5])  # token 2, row 1, column 2


def test_a_rows_maximum_is_the_tokens_maxsim_share_over_the_patches() -> None:
    page = unit(6)
    query = unit(3)
    grid = PatchGrid(offset=0, rows=2, columns=3)  # every token is a patch
    stored = vectors.encode(page.astype(np.float16))
    found = similarity_map(query, ["a", "b", "c"], stored.vectors, stored.dim, grid)
    assert (found.rows, found.columns, found.tokens) == (2, 3, ["a", "b", "c"])
    best = np.asarray(found.values).max(axis=1).sum()
    decoded = vectors.decode(stored.vectors, stored.dim)
    assert best == pytest.approx(vectors.maxsim(query, decoded), abs=1e-3)


def test_a_grid_that_does_not_fit_the_page_is_an_error() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        patch_similarities(unit(2), unit(5), PatchGrid(offset=2, rows=2, columns=2))
