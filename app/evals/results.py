"""What an eval produces: options, per-query results, passes, comparisons, the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.evals.ingest import IngestSummary, UploadKind
from app.evals.intervals import BOOTSTRAP_SAMPLES, BOOTSTRAP_SEED, Interval


class EvalMode(StrEnum):
    VISUAL = "VISUAL"
    TEXT = "TEXT"
    HYBRID = "HYBRID"


@dataclass(frozen=True)
class EvalOptions:
    modes: tuple[EvalMode, ...] = (EvalMode.VISUAL,)
    exact: bool = False
    compare: bool = False  # each mode on the fast path and with `exact: true`
    top_k: int = 20  # results requested; metrics read the first 10 after the tie-break
    bootstrap_samples: int = BOOTSTRAP_SAMPLES
    seed: int = BOOTSTRAP_SEED
    upload: UploadKind = UploadKind.AUTO
    keep_collection: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "modes": [mode.value for mode in self.modes],
            "exact": self.exact,
            "compare": self.compare,
            "top_k": self.top_k,
            "bootstrap_samples": self.bootstrap_samples,
            "seed": self.seed,
            "upload": self.upload.value,
            "keep_collection": self.keep_collection,
        }


@dataclass(frozen=True)
class QueryResult:
    query_id: str
    query: str
    ranking: list[str]  # corpus-ids, best first, the first DEPTH
    scores: list[float]
    relevant: dict[str, float]
    metrics: dict[str, float]
    wall_ms: float
    took_ms: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "query-id": self.query_id,
            "query": self.query,
            "ranking": self.ranking,
            "scores": self.scores,
            "relevant": self.relevant,
            "metrics": self.metrics,
            "latency_ms": round(self.wall_ms, 3),
            "took_ms": round(self.took_ms, 3),
        }


@dataclass(frozen=True)
class PassResult:
    mode: EvalMode
    exact: bool
    queries: list[QueryResult]
    summary: dict[str, Interval]
    latency_ms: dict[str, dict[str, float]]  # "request" (client) and "search" (tookMs)

    @property
    def label(self) -> str:
        return f"{self.mode.value} exact" if self.exact else self.mode.value

    def as_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode.value,
            "exact": self.exact,
            "metrics": {name: interval.as_dict() for name, interval in self.summary.items()},
            "latency_ms": self.latency_ms,
            "queries": [query.as_dict() for query in self.queries],
        }


@dataclass(frozen=True)
class Comparison:
    """`exact: true` against the fast path, on the same queries: exact minus fast."""

    mode: EvalMode
    differences: dict[str, Interval]
    identical_rankings: int  # queries whose first DEPTH results are the same on both paths
    queries: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode.value,
            "exact_minus_fast": {k: v.as_dict() for k, v in self.differences.items()},
            "identical_rankings": self.identical_rankings,
            "queries": self.queries,
        }


@dataclass
class EvalReport:
    started_at: str
    dataset: dict[str, Any]
    service: dict[str, Any]
    options: EvalOptions
    packages: dict[str, str]
    ingest: IngestSummary | None = None
    passes: list[PassResult] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "started_at": self.started_at,
            "dataset": self.dataset,
            "service": self.service,
            "options": self.options.as_dict(),
            "packages": self.packages,
            "ingest": self.ingest.as_dict() if self.ingest else None,
            "passes": [p.as_dict() for p in self.passes],
            "comparisons": [c.as_dict() for c in self.comparisons],
            "notes": self.notes,
        }
