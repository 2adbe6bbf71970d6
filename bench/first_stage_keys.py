"""Which single-vector key finds a page's exact MaxSim neighbours best: an offline comparison.

    python -m bench.first_stage_keys [--pages 100000] [--generator hard] [--queries 40]

The first stage pulls the pages nearest to the query by one vector per page, then keeps the
best by centroid MaxSim. On the bench's generators (bench/synthetic.py), with exact
(brute-force) ranking by each key, so no ANN loss, this reports how often the exact top 3
is among the first L pages ("pulled"), and still there after the centroid stage keeps R
("kept"), for:
- `pooled`: the unit mean of the tokens (what the service indexes);
- `fde-*`: MUVERA-style fixed-dimensional encodings (SimHash partitions of the tokens, a
  random +-1 projection of each partition's sum for a query and mean for a page, empty page
  partitions filled by the nearest token, several repetitions concatenated).
And 16 against 32 centroids a page for the centroid stage. No database: NumPy only.
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from app.db.vectors import kmeans_centroids, pool
from bench.synthetic import DIM, F32, GENERATORS, PAGES_PER_DOC, exact_maxsim

CHUNK_DOCS = 100


@dataclass(frozen=True)
class Fde:
    """SimHash bits per repetition, projected dims per partition, repetitions."""

    k_sim: int
    d_proj: int
    reps: int

    @property
    def name(self) -> str:
        return f"fde-k{self.k_sim}p{self.d_proj}r{self.reps}"

    def encode(self, tokens: F32, *, query: bool) -> F32:
        rng = np.random.default_rng(7)  # the same planes and projections for every vector
        buckets = 2**self.k_sim
        parts = []
        for _ in range(self.reps):
            planes = rng.standard_normal((DIM, self.k_sim), dtype=np.float32)
            signs = rng.choice([-1.0, 1.0], size=(DIM, self.d_proj)).astype(np.float32)
            bits = (tokens @ planes) > 0
            bucket = bits.astype(np.int64) @ (1 << np.arange(self.k_sim))
            projected = tokens @ signs / np.sqrt(self.d_proj)
            sums = np.zeros((buckets, self.d_proj), dtype=np.float32)
            np.add.at(sums, bucket, projected)
            if not query:
                counts = np.bincount(bucket, minlength=buckets).astype(np.float32)
                empty = counts == 0
                sums[~empty] /= counts[~empty, None]
                if empty.any():  # the token whose bits are nearest the empty partition's
                    codes = (np.arange(buckets)[:, None] >> np.arange(self.k_sim)) & 1
                    distance = (codes[empty][:, None, :] != bits[None, :, :]).sum(axis=-1)
                    sums[empty] = projected[distance.argmin(axis=1)]
            parts.append(sums.ravel())
        encoded: F32 = np.concatenate(parts)
        return encoded


ENCODINGS = (Fde(3, 16, 4), Fde(4, 16, 4), Fde(4, 32, 2))


def build(
    generator: str, seed: int, first: int, docs: int, queries: F32
) -> dict[str, NDArray[Any]]:
    """Keys, centroids and exact MaxSim against the queries, for documents first..first+docs."""
    with threadpool_limits(1, "blas"):
        make = GENERATORS[generator][0]
        pages = np.concatenate([make(seed, d) for d in range(first, first + docs)])
        pages = pages.astype(np.float32)
        out: dict[str, NDArray[Any]] = {
            "exact": exact_maxsim(queries, pages).T,  # (pages, queries)
            "pooled": np.stack([pool(p) for p in pages]),
            "centroids-16": np.stack([kmeans_centroids(p, 16) for p in pages]).astype(np.float16),
            "centroids-32": np.stack([kmeans_centroids(p, 32) for p in pages]).astype(np.float16),
        }
        for fde in ENCODINGS:
            out[fde.name] = np.stack([fde.encode(p, query=False) for p in pages]).astype(np.float16)
        return out


def recall(
    keys: F32,
    query_keys: F32,
    centroids: NDArray[Any],
    queries: F32,
    truth: NDArray[Any],
    pulled: int,
) -> tuple[float, dict[int, float]]:
    """Share of the exact top 3 among the `pulled` nearest by key, and still there after the
    centroid stage keeps R (for each R of 16, 32, 64)."""
    hits: list[float] = []
    kept: dict[int, list[float]] = {r: [] for r in (16, 32, 64)}
    per_page = centroids.shape[1]
    for q, query in enumerate(queries):
        candidates = np.argpartition(-(keys @ query_keys[q]), pulled)[:pulled]
        hits.append(len(set(truth[q]) & set(candidates.tolist())) / 3)
        flat = centroids[candidates].astype(np.float32).reshape(-1, DIM)
        approximate = (flat @ query.T).reshape(pulled, per_page, -1).max(axis=1).sum(axis=1)
        order = candidates[np.argsort(-approximate)]
        for r in kept:
            kept[r].append(len(set(truth[q]) & set(order[:r].tolist())) / 3)
    return float(np.mean(hits)), {r: float(np.mean(v)) for r, v in kept.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--generator", default="hard", choices=sorted(GENERATORS))
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--pulled", default="300,1000,3000")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng([args.seed, args.pages])  # the queries bench.search makes
    targets = rng.choice(args.pages, args.queries, replace=False)
    make_query = GENERATORS[args.generator][1]
    queries = np.stack([make_query(args.seed, int(t)) for t in targets])
    docs = args.pages // PAGES_PER_DOC
    with ProcessPoolExecutor(2) as workers:
        chunks = list(
            workers.map(
                build,
                *zip(
                    *[
                        (args.generator, args.seed, f, min(CHUNK_DOCS, docs - f), queries)
                        for f in range(0, docs, CHUNK_DOCS)
                    ],
                    strict=True,
                ),
            )
        )
    data = {key: np.concatenate([c[key] for c in chunks]) for key in chunks[0]}
    truth = np.argsort(-data["exact"].T, axis=1)[:, :3]
    query_keys = {"pooled": np.stack([pool(q) for q in queries])} | {
        fde.name: np.stack([fde.encode(q, query=True) for q in queries]) for fde in ENCODINGS
    }
    for centroids in ("centroids-16", "centroids-32"):
        for key, encoded in query_keys.items():
            keys = data[key].astype(np.float32)
            for pulled in (int(p) for p in args.pulled.split(",")):
                found, kept = recall(
                    keys, encoded, data[centroids], queries, truth, min(pulled, args.pages - 1)
                )
                print(
                    f"{args.generator} {args.pages} pages | {key:>14} ({keys.shape[1]:>4} dims)"
                    f" | {centroids} | pulled {pulled:>5}: {found:.3f} | kept R=16/32/64: "
                    + " / ".join(f"{kept[r]:.3f}" for r in (16, 32, 64)),
                    flush=True,
                )


if __name__ == "__main__":
    main()
