"""Hierarchical token pooling: a page's multi-vector shrunk by a collection's `poolFactor`.

The procedure of colpali-engine's `HierarchicalTokenPooler`, in NumPy and SciPy so that the
worker needs no torch: Ward clustering of the tokens (each token's row of cosine distances
to all tokens is its feature vector, as there), at most `tokens // factor` clusters, each
replaced by the unit mean of its tokens, in cluster order. Storage and rerank cost shrink by
the factor; MaxSim against pooled pages is what the model's authors measured as a small loss.
"""

from __future__ import annotations

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage

from app.types import Float32Matrix, MultiVector


def pool_tokens(vectors: MultiVector, factor: int) -> MultiVector:
    """(tokens, dim) → (≤ tokens // factor, dim); unchanged for factor 1 or a single token."""
    tokens = vectors.shape[0]
    if factor <= 1 or tokens < 2:
        return vectors
    matrix: Float32Matrix = vectors.astype(np.float32)
    distances = 1 - matrix @ matrix.T  # (tokens, tokens)
    clusters = max(tokens // factor, 1)
    labels = fcluster(linkage(distances, metric="euclidean", method="ward"), clusters, "maxclust")
    labels = labels - 1  # SciPy numbers clusters from 1
    sums = np.zeros((clusters, matrix.shape[1]), dtype=np.float32)
    np.add.at(sums, labels, matrix)
    sums = sums[np.bincount(labels, minlength=clusters) > 0]  # maxclust may make fewer
    pooled: MultiVector = (sums / np.linalg.norm(sums, axis=1, keepdims=True)).astype(np.float16)
    return pooled
