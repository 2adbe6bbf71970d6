"""Token pooling matches colpali-engine's hierarchical pooler, token for token."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from colpali_engine.compression.token_pooling import HierarchicalTokenPooler

from app.ingest.token_pooling import pool_tokens
from bench.synthetic import document_pages


@pytest.mark.parametrize(
    ("document", "tokens", "factor"),
    [(0, 300, 2), (0, 300, 3), (0, 300, 5), (1, 1030, 2), (2, 1030, 3), (3, 1030, 3)],
)
def test_pooling_equals_colpali_engine(document: int, tokens: int, factor: int) -> None:
    page = document_pages(document, 0)[0][:tokens]  # (tokens, 128) float16, unit rows
    ours = pool_tokens(page, factor)
    [theirs], _ = HierarchicalTokenPooler()._pool_embeddings_impl(
        [torch.from_numpy(page.astype(np.float32))], pool_factor=factor
    )
    assert ours.shape == tuple(theirs.shape)
    assert ours.shape[0] <= tokens // factor
    np.testing.assert_allclose(ours, theirs.numpy(), atol=1e-3)  # float16 storage


def test_factor_one_and_single_tokens_are_unchanged() -> None:
    page = np.eye(4, 128, dtype=np.float16)
    assert np.array_equal(pool_tokens(page, 1), page)
    assert np.array_equal(pool_tokens(page[:1], 3), page[:1])
