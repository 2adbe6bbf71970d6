"""Bootstrap confidence intervals over queries, and latency percentiles.

The resampling draws query indices from a generator seeded with a fixed seed, so the same
per-query values always give the same interval; two passes over the same queries share their
resamples, which makes the interval of a paired difference (exact minus fast) a paired one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

BOOTSTRAP_SAMPLES = 1000
BOOTSTRAP_SEED = 0
CONFIDENCE = 0.95
PERCENTILES = (50, 90, 95, 99)


@dataclass(frozen=True)
class Interval:
    """A mean over queries with its percentile-bootstrap confidence interval."""

    mean: float
    low: float
    high: float

    def as_dict(self) -> dict[str, float]:
        return {"mean": self.mean, "low": self.low, "high": self.high}


def bootstrap(
    values: Sequence[float],
    *,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = BOOTSTRAP_SEED,
    confidence: float = CONFIDENCE,
) -> Interval:
    """The mean of `values` and its `confidence` interval from `samples` resamples."""
    data = np.asarray(values, dtype=np.float64)
    if data.size == 0:
        raise ValueError("no values to bootstrap: every query was left out")
    rng = np.random.default_rng(seed)
    indices = rng.integers(0, data.size, size=(samples, data.size))  # (samples, queries)
    means = data[indices].mean(axis=1)
    tail = (1.0 - confidence) / 2
    low, high = np.quantile(means, [tail, 1.0 - tail])
    return Interval(float(data.mean()), float(low), float(high))


def paired_difference(
    before: Sequence[float],
    after: Sequence[float],
    *,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> Interval:
    """`after - before` query by query, bootstrapped over the same queries."""
    if len(before) != len(after):
        raise ValueError("a paired difference needs the same queries on both sides")
    differences = [b - a for a, b in zip(before, after, strict=True)]
    return bootstrap(differences, samples=samples, seed=seed)


def percentiles(values: Sequence[float]) -> dict[str, float]:
    """p50, p90, p95 and p99 (linear interpolation) of `values`."""
    if not values:
        return {}
    found = np.percentile(np.asarray(values, dtype=np.float64), PERCENTILES)
    return {f"p{p}": float(v) for p, v in zip(PERCENTILES, found, strict=True)}
