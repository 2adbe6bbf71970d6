"""An eval's report: the JSON file (everything, query by query) and the terminal summary."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from app.evals.intervals import Interval
from app.evals.metrics import METRICS
from app.evals.results import Comparison, EvalReport

LABELS = {
    "ndcg@5": "nDCG@5",
    "ndcg@10": "nDCG@10",
    "recall@1": "recall@1",
    "recall@5": "recall@5",
    "recall@10": "recall@10",
    "mrr@10": "MRR@10",
}


def write_json(report: EvalReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n")


def _cell(interval: Interval, *, signed: bool = False) -> str:
    sign = "+" if signed else ""
    return f"{interval.mean:{sign}.3f} [{interval.low:{sign}.3f}, {interval.high:{sign}.3f}]"


def summary_table(report: EvalReport) -> Table:
    """Metrics (mean [95% CI]) and latency percentiles, one column per pass."""
    table = Table(title="mean [95% bootstrap CI]", title_justify="left")
    table.add_column("")
    for run in report.passes:
        table.add_column(run.label, justify="right")
    for metric in METRICS:
        table.add_row(LABELS[metric], *(_cell(run.summary[metric]) for run in report.passes))
    table.add_section()
    for kind in ("request", "search"):
        for percentile in ("p50", "p95", "p99"):
            table.add_row(
                f"{kind} {percentile} ms",
                *(f"{run.latency_ms[kind].get(percentile, 0.0):.1f}" for run in report.passes),
            )
    return table


def comparison_table(report: EvalReport, comparison: Comparison) -> Table:
    """One mode on the fast path and exactly, with the paired difference (exact minus fast)."""
    runs = {(run.mode, run.exact): run for run in report.passes}
    fast, exact = runs[(comparison.mode, False)], runs[(comparison.mode, True)]
    table = Table(
        title=f"{comparison.mode.value}: fast path vs exact, mean [95% bootstrap CI]",
        title_justify="left",
    )
    for header in ("", "fast", "exact", "exact - fast (paired)"):
        table.add_column(header, justify="right" if header else "left")
    for metric in METRICS:
        table.add_row(
            LABELS[metric],
            _cell(fast.summary[metric]),
            _cell(exact.summary[metric]),
            _cell(comparison.differences[metric], signed=True),
        )
    table.add_section()
    table.add_row("same top 10", "", "", f"{comparison.identical_rankings}/{comparison.queries}")
    for kind in ("request", "search"):
        for percentile in ("p50", "p95"):
            table.add_row(
                f"{kind} {percentile} ms",
                f"{fast.latency_ms[kind].get(percentile, 0.0):.1f}",
                f"{exact.latency_ms[kind].get(percentile, 0.0):.1f}",
                "",
            )
    return table


def print_summary(report: EvalReport, console: Console) -> None:
    dataset, service, ingest = report.dataset, report.service, report.ingest
    console.print(
        f"[bold]{escape(dataset['name'])}[/bold]: {dataset['pages']} pages, "
        f"{dataset['scored_queries']} scored queries (of {dataset['queries']}); "
        f"model {escape(str(service.get('model')))} "
        f"(revision {service.get('revision') or 'not reported'}); server {service['url']}",
        highlight=False,
    )
    if ingest is not None:
        kinds = ", ".join(f"{n} as {kind}" for kind, n in sorted(ingest.uploaded_as.items()))
        kept = "kept" if service.get("collection_kept") else "deleted"
        console.print(
            f"ingested {ingest.pages} pages ({kinds}) in {ingest.seconds:.1f} s, all READY, "
            f"{ingest.pages_with_text} with text; collection {service.get('collection')} "
            f"{kept}",
            highlight=False,
        )
    if report.comparisons:
        for comparison in report.comparisons:
            console.print(comparison_table(report, comparison))
    else:
        console.print(summary_table(report))
    for note in report.notes:
        console.print(f"note: {escape(note)}", highlight=False)
