"""How multi-vectors are stored: int8 codes and per-token scales, centroids, a pooled vector.

The one module that encodes and decodes them (writes, search and benchmarks all call it).
Int8 with one float32 scale per token is 132 bytes a token against 264 for pgvector's
`halfvec`; its rounding moves a MaxSim score by well under 0.1%. Centroids are stored the
same way (migration 0012): half the bytes of float16, and int8 widens to float32 five times
faster, which was the centroid stage's largest cost. The pooled vector (the unit mean of the
page's tokens) is what the HNSW index in Postgres searches (app/search/); 8 coarse centroids
(k-means of the 32) narrow its candidates before the 32 are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from app.types import Float32Matrix, MultiVector

# Per page, for the first stage. At 100k pages (hard data, bench/search.py and an offline
# sweep), 16 let the centroid stage drop true top-3 pages that the pooled candidates held
# (recall@3 0.967 from 3,000 candidates); 32 kept them all (1.0). Pages written with 16 still
# score: `centroid_maxsim` pads a short page.
CENTROIDS = 32
# Per page, on the row the index scan reads (migration 0015): k-means of the 32 centroids.
# At 100k pages (hard data) the best third of 1,893 candidates by MaxSim over these held
# every true top-3 page that the 32 kept; by the pooled vector, 0.958 of them.
COARSE = 8
# Centroids scored at once by `centroid_maxsim` (32 pages of 32): 512 KB of float32, in
# cache, and under the 1 MB from which app/heap.py has allocations mapped fresh (each one 256
# page faults a MB): 64 pages of 32 took the 10k-page stage from 3.3 to 5.9 ms in a thread.
CENTROID_BLOCK = 32 * 32
_KMEANS_ROUNDS = 6


@dataclass(frozen=True)
class EncodedPage:
    token_count: int
    dim: int
    vectors: bytes  # `quantize`d tokens: float32 scales (tokens,), then int8 codes (tokens, dim)
    centroids: bytes  # `quantize`d centroids (k, dim)
    coarse: bytes  # `coarse_of` the centroids: (COARSE, dim), `quantize`d
    pooled: Float32Matrix  # (dim,) unit mean of the tokens: the page's one ANN-indexed vector


def encode(vectors: MultiVector, *, centroids: int = CENTROIDS) -> EncodedPage:
    matrix = np.asarray(vectors, dtype=np.float32)  # (tokens, dim)
    if matrix.ndim != 2 or matrix.shape[0] == 0:
        raise ValueError(f"a page needs a (tokens, dim) matrix, got shape {matrix.shape}")
    stored = quantize(kmeans_centroids(matrix, centroids))
    return EncodedPage(
        token_count=matrix.shape[0],
        dim=matrix.shape[1],
        vectors=quantize(matrix),
        centroids=stored,
        coarse=coarse_of(stored, matrix.shape[1]),
        pooled=pool(matrix),
    )


def coarse_of(centroids: bytes, dim: int) -> bytes:
    """A page's COARSE centroids, `quantize`d: spherical k-means of its stored centroids.
    From the stored bytes, so that pages written before migration 0015 get exactly what a
    write computes today."""
    matrix = decode(centroids, dim)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return quantize(kmeans_centroids(matrix / np.maximum(norms, 1e-12), COARSE))


def quantize(matrix: Float32Matrix) -> bytes:
    """float32 scales (rows,), then int8 codes (rows, dim): each row scaled to +-127."""
    scales = np.abs(matrix).max(axis=1) / 127.0  # (rows,)
    scales[scales == 0] = 1.0
    codes = np.rint(matrix / scales[:, None]).astype(np.int8)
    return bytes(scales.astype(np.float32).tobytes() + codes.tobytes())


def pool(matrix: Float32Matrix) -> Float32Matrix:
    """The unit mean of a multi-vector's tokens (a query's too: the first stage's key)."""
    mean = np.asarray(matrix, dtype=np.float32).mean(axis=0)
    norm = float(np.linalg.norm(mean))
    pooled: Float32Matrix = mean / norm if norm > 0 else mean
    return pooled


def _unpack(blob: bytes, dim: int) -> tuple[NDArray[np.float32], NDArray[np.int8]]:
    """The views `quantize` laid out: float32 scales (rows,), int8 codes (rows, dim)."""
    tokens = len(blob) // (4 + dim)
    scales = np.frombuffer(blob, dtype=np.float32, count=tokens)
    codes = np.frombuffer(blob, dtype=np.int8, offset=4 * tokens).reshape(tokens, dim)
    return scales, codes


def decode(blob: bytes, dim: int) -> Float32Matrix:
    """The stored multi-vector as float32 (tokens, dim)."""
    scales, codes = _unpack(blob, dim)
    scaled: Float32Matrix = codes.astype(np.float32) * scales[:, None]
    return scaled


def kmeans_centroids(matrix: Float32Matrix, k: int) -> Float32Matrix:
    """Spherical k-means, deterministic: a page's tokens summarised by k unit vectors."""
    tokens = matrix.shape[0]
    if tokens <= k:
        return matrix.copy()
    centers: Float32Matrix = matrix[np.linspace(0, tokens - 1, k).astype(int)].copy()  # (k, dim)
    identity = np.eye(k, dtype=np.float32)
    for _ in range(_KMEANS_ROUNDS):
        members = identity[(matrix @ centers.T).argmax(axis=1)]  # (tokens, k) one-hot
        sums = members.T @ matrix  # (k, dim)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        centers = np.where(norms > 0, sums / np.maximum(norms, 1e-12), centers)  # empty: keep
    return centers


def maxsim(query: Float32Matrix, page: Float32Matrix) -> float:
    """Late interaction: for each query token the best dot product over the page, summed."""
    return float((query @ page.T).max(axis=1).sum())


def maxsim_stored(query: Float32Matrix, blobs: Sequence[bytes]) -> NDArray[np.float32]:
    """MaxSim of `query` against each stored page (`EncodedPage.vectors`): per page, the
    query times its int8 codes widened to float32, scaled per token afterwards (the scale is
    per token, so scaling the (q, tokens) product equals scaling the vectors, for less work),
    then a max per query token. One page at a time keeps the widened codes (~0.5 MB) in
    cache: one GEMM over all pages' codes at once streams them through memory and took 2.9x
    as long (32 pages of 1,030 tokens, one core: 14.5 ms against 4.9 ms)."""
    scores = np.empty(len(blobs), dtype=np.float32)
    for i, blob in enumerate(blobs):
        scales, codes = _unpack(blob, query.shape[1])
        sims = query @ codes.T.astype(np.float32)  # (query tokens, page tokens)
        sims *= scales
        scores[i] = sims.max(axis=1).sum()
    return scores


def centroid_maxsim(
    query: Float32Matrix, blobs: Sequence[bytes], slots: int = CENTROIDS
) -> NDArray[np.float32]:
    """Approximate MaxSim of `query` against each page's stored centroids (up to `slots` a
    page: CENTROIDS, or COARSE for the coarse ones), `CENTROID_BLOCK` centroids at a time: a
    thousand candidates' centroids as float32 at once would be ~50 MB of short-lived heap a
    search. The block's bytes are joined and viewed as (pages, scales + codes); as in
    `maxsim_stored`, the scales multiply the product, not the codes."""
    dim = query.shape[1]
    head = 4 * slots  # the scales' bytes
    pages = CENTROID_BLOCK // slots
    scores = np.empty(len(blobs), dtype=np.float32)
    for start in range(0, len(blobs), pages):
        block = [_all_centroids(b, dim, slots) for b in blobs[start : start + pages]]
        rows = np.frombuffer(b"".join(block), dtype=np.uint8).reshape(len(block), -1)
        scales = rows[:, :head].copy().view(np.float32)  # (pages, slots)
        codes = rows[:, head:].view(np.int8).reshape(len(block), slots, dim)
        sims = (codes.astype(np.float32).reshape(-1, dim) @ query.T).reshape(len(block), slots, -1)
        sims *= scales[:, :, None]
        scores[start : start + len(block)] = sims.max(axis=1).sum(axis=1)
    return scores


def _all_centroids(blob: bytes, dim: int, slots: int) -> bytes:
    """A page's centroids padded to `slots` by repeating its last one, which leaves its max
    unchanged (a page of fewer tokens, or one written with 16 centroids)."""
    if len(blob) == slots * (4 + dim):
        return blob
    scales, codes = _unpack(blob, dim)
    taken = np.minimum(np.arange(slots), len(scales) - 1)
    return scales[taken].tobytes() + codes[taken].tobytes()
