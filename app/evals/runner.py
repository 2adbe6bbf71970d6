"""One eval: a fresh collection, the corpus ingested and checked, every query searched in each
requested mode (and with `--compare`, on the fast path and exactly), metrics with intervals.

Reproducibility: pages are stored in corpus order and embedded one per batch (see ingest.py),
queries run one at a time in the dataset's order, each embedded alone, and ties in score are
broken by corpus-id; the bootstrap is seeded. Two runs with the same data, model and settings
give the same rankings. Where float order could still differ: a GPU backend may pick other
kernels run to run (for example after a driver or library upgrade, or on another card), which
can swap two pages whose scores differ in the last bits; on one CPU the local backend is
deterministic.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from rich.progress import Progress

from app.evals.client import ServiceClient
from app.evals.dataset import EvalDataset
from app.evals.environment import is_test_model, model_revision, package_versions
from app.evals.errors import EvalError
from app.evals.ingest import ingest_corpus
from app.evals.intervals import bootstrap, paired_difference, percentiles
from app.evals.metrics import DEPTH, METRICS, is_scorable, query_metrics, rank_hits
from app.evals.results import (
    Comparison,
    EvalMode,
    EvalOptions,
    EvalReport,
    PassResult,
    QueryResult,
)

WARM_UP_QUERY = "warm-up query, not timed"


def collection_name(dataset: str, now: datetime) -> str:
    """`eval-<dataset>-<UTC time>-<random>`: plainly an eval's, and never an existing name."""
    slug = re.sub(r"[^a-z0-9_]+", "-", dataset.lower()).strip("-")[:40] or "dataset"
    return f"eval-{slug}-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def run_eval(
    dataset: EvalDataset,
    client: ServiceClient,
    options: EvalOptions,
    *,
    service_settings: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> EvalReport:
    """Ingest, search, score; the collection is deleted afterwards unless `keep_collection`."""
    progress = progress or Progress(disable=True)
    now = datetime.now(UTC)
    name = collection_name(dataset.name, now)
    scored = [
        query_id for query_id in dataset.queries if is_scorable(dataset.qrels.get(query_id, {}))
    ]
    report = EvalReport(
        started_at=now.isoformat(timespec="seconds"),
        dataset={
            "name": dataset.name,
            "source": dataset.source,
            "fingerprint": dataset.fingerprint,
            "pages": len(dataset.corpus),
            "queries": len(dataset.queries),
            "scored_queries": len(scored),
        },
        service={"url": client.url, "health": client.health(), "user": client.me()},
        options=options,
        packages=package_versions(),
    )
    if service_settings is not None:
        report.service["settings"] = service_settings
    if not scored:
        raise EvalError("No query has a relevant page in the qrels: there is nothing to score.")
    model = client.create_collection(name, {"paliapi-eval": {"dataset": dataset.name}})
    # A remote server does not report its revision; this machine's copy may not be the same.
    revision = model_revision(model) if service_settings is not None else None
    report.service.update(collection=name, model=model, revision=revision)
    try:
        task = progress.add_task("ingest", total=len(dataset.corpus))
        report.ingest = ingest_corpus(
            client,
            collection=name,
            corpus=dataset.corpus,
            upload=options.upload,
            on_page=lambda: progress.advance(task),
        )
        for mode in options.modes:
            variants = (False, True) if options.compare else (options.exact,)
            passes = [
                _run_pass(client, dataset, scored, name, mode, exact, options, progress)
                for exact in variants
            ]
            report.passes.extend(passes)
            if options.compare:
                report.comparisons.append(_compare(mode, passes[0], passes[1], options))
    finally:
        report.service["collection_kept"] = options.keep_collection
        if not options.keep_collection:
            client.delete_collection(name)
    report.service["health"] = client.health()  # after the run: the model is loaded by now
    report.service["rate_limited_waits"] = client.rate_limited_waits
    report.notes = _notes(report, model)
    return report


def _run_pass(
    client: ServiceClient,
    dataset: EvalDataset,
    scored: Sequence[str],
    collection: str,
    mode: EvalMode,
    exact: bool,
    options: EvalOptions,
    progress: Progress,
) -> PassResult:
    def search(query: str) -> Any:
        return client.search(
            query, collection=collection, mode=mode.value, exact=exact, top_k=options.top_k
        )

    search(WARM_UP_QUERY)  # first-call costs (a model's first use, caches) stay out of timings
    label = f"{mode.value}{' exact' if exact else ''}"
    task = progress.add_task(label, total=len(scored))
    results = []
    for query_id in scored:
        answer = search(dataset.queries[query_id])
        order = rank_hits(answer.hits)[:DEPTH]
        scores: dict[str, float] = {}
        for corpus_id, score in answer.hits:
            scores[corpus_id] = max(score, scores.get(corpus_id, score))
        qrels = dataset.qrels[query_id]
        results.append(
            QueryResult(
                query_id=query_id,
                query=dataset.queries[query_id],
                ranking=order,
                scores=[scores[corpus_id] for corpus_id in order],
                relevant=dict(sorted(qrels.items())),
                metrics=query_metrics(order, qrels),
                wall_ms=answer.wall_ms,
                took_ms=answer.took_ms,
            )
        )
        progress.advance(task)
    summary = {
        metric: bootstrap(
            [r.metrics[metric] for r in results],
            samples=options.bootstrap_samples,
            seed=options.seed,
        )
        for metric in METRICS
    }
    latency = {
        "request": percentiles([r.wall_ms for r in results]),
        "search": percentiles([r.took_ms for r in results]),
    }
    return PassResult(mode, exact, results, summary, latency)


def _compare(
    mode: EvalMode, fast: PassResult, exact: PassResult, options: EvalOptions
) -> Comparison:
    differences = {
        metric: paired_difference(
            [r.metrics[metric] for r in fast.queries],
            [r.metrics[metric] for r in exact.queries],
            samples=options.bootstrap_samples,
            seed=options.seed,
        )
        for metric in METRICS
    }
    same = sum(
        1 for a, b in zip(fast.queries, exact.queries, strict=True) if a.ranking == b.ranking
    )
    return Comparison(mode, differences, same, len(fast.queries))


def _notes(report: EvalReport, model: str) -> list[str]:
    notes = []
    modes = set(report.options.modes)
    if is_test_model(model) and modes & {EvalMode.VISUAL, EvalMode.HYBRID}:
        notes.append(
            f"The model ({model}) is a randomly initialised test checkpoint: VISUAL figures "
            "(and HYBRID's visual half) mean nothing; they prove the plumbing only."
        )
    ingest = report.ingest
    if ingest is not None and modes & {EvalMode.TEXT, EvalMode.HYBRID}:
        if ingest.pages_with_text == 0:
            notes.append(
                "No page has text: the service extracts text from PDFs, not images, so TEXT "
                "finds nothing and HYBRID is VISUAL alone. A corpus with a `pdf` column "
                "(one-page PDFs with a text layer) measures them."
            )
        elif ingest.pages_with_text < ingest.pages:
            notes.append(
                f"Only {ingest.pages_with_text} of {ingest.pages} pages have text; TEXT can "
                "find only those."
            )
    rerank = report.service.get("settings", {}).get("search_rerank")
    if (
        report.options.compare
        and rerank
        and report.dataset["pages"] <= max(rerank, report.options.top_k)
    ):
        notes.append(
            f"The collection ({report.dataset['pages']} pages) is no larger than the rerank "
            f"depth (PALIAPI_SEARCH_RERANK={rerank}, or --top-k): the fast path scored every "
            "page exactly, so it cannot differ from `exact` here."
        )
    if report.options.compare and EvalMode.TEXT in modes:
        notes.append("`exact` does not change TEXT search: its comparison is zero by design.")
    waits = report.service.get("rate_limited_waits", 0)
    if waits:
        notes.append(
            f"{waits} request(s) were refused with RATE_LIMITED and sent again after their "
            "retryAfter; no search was repeated after it had run."
        )
    notes.append(
        "Latency: `request` is the whole search request as the client saw it (query "
        "embedding included; the server caches a query's embedding after its first pass); "
        "`search` is the server's tookMs (embedding excluded)."
    )
    return notes
