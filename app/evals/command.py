"""The body of `paliapi eval`: read the dataset, reach a service, run, write and print."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from app.evals.client import ServiceClient
from app.evals.dataset import load_dataset
from app.evals.errors import EvalError
from app.evals.local_service import local_service, service_settings
from app.evals.report import print_summary, write_json
from app.evals.results import EvalOptions, EvalReport
from app.evals.runner import run_eval

RESULTS_DIR = Path("eval-results")


def run_command(
    source: str,
    options: EvalOptions,
    *,
    url: str | None,
    token: str | None,
    out: Path | None,
    split: str,
    console: Console,
) -> EvalReport:
    """Evaluate `source` against `url` (or a service started here); the report, also written
    to `out` (default: eval-results/<collection>.json) and summarised on `console`."""
    dataset = load_dataset(source, split=split)
    progress = Progress(
        TextColumn("{task.description:>14}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )
    with progress:
        if url:
            if not token:
                raise EvalError("--url needs --token (or PALIAPI_TOKEN): a token of that server.")
            with ServiceClient(url, token) as client:
                report = run_eval(dataset, client, options, progress=progress)
            report.service["kind"] = "remote (--url)"
        else:
            with local_service(token) as (base_url, local_token):
                client = ServiceClient(base_url, local_token)
                try:
                    report = run_eval(
                        dataset,
                        client,
                        options,
                        service_settings=service_settings(),
                        progress=progress,
                    )
                finally:
                    client.close()
            report.service["kind"] = "local (started in this process, current settings)"
    path = out or RESULTS_DIR / f"{report.service['collection']}.json"
    write_json(report, path)
    print_summary(report, console)
    console.print(f"per-query results: {escape(str(path))}", highlight=False)
    return report
