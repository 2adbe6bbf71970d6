"""`paliapi eval` end to end on the sanity set: against the test server by --url, then again
with the service started in-process (no --url), which must give the same rankings.

Both runs lower PALIAPI_SEARCH_RERANK to 4 and ask for 10 results, so that on 16 pages the
fast path really runs its first stage (an HNSW scan and centroid MaxSim keeping 10 pages)
instead of reading the whole scope.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.settings import settings

runner = CliRunner()
MODES = ("--mode", "TEXT", "--mode", "HYBRID", "--mode", "VISUAL")
FAST_PATH = {"search_rerank": 4}


def run_eval(*args: str) -> tuple[str, dict[str, Any]]:
    out = Path(args[args.index("--out") + 1])
    result = runner.invoke(cli, ["eval", *args], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(out.read_text())
    return result.output, report


def passes(report: dict[str, Any]) -> dict[tuple[str, bool], dict[str, Any]]:
    return {(p["mode"], p["exact"]): p for p in report["passes"]}


def rankings(run: dict[str, Any]) -> dict[str, list[tuple[str, float]]]:
    return {
        q["query-id"]: list(zip(q["ranking"], q["scores"], strict=True)) for q in run["queries"]
    }


@pytest.fixture(scope="module")
def url_run(
    sanity_dir: Path, server: str, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, dict[str, Any], int]]:
    """One eval through --url with --compare; its output, its report, and the collections
    its user holds afterwards."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "database_url", database_url)
        for name, value in FAST_PATH.items():
            patch.setattr(settings, name, value)
        created = runner.invoke(cli, ["users", "create", "evaluator"])
        token = created.output.strip().splitlines()[-1]
        out = tmp_path_factory.mktemp("eval") / "url.json"
        output, report = run_eval(
            str(sanity_dir), *MODES, "--compare", "--top-k", "10",
            *("--url", server, "--token", token, "--out", str(out)),
        )  # fmt: skip
        left = httpx.post(
            f"{server}/graphql",
            json={"query": "{ collections { totalCount } }"},
            headers={"Authorization": f"Bearer {token}"},
        ).json()["data"]["collections"]["totalCount"]
        yield output, report, left


def test_text_and_hybrid_find_the_relevant_page(url_run: tuple[str, dict[str, Any], int]) -> None:
    output, report, collections_left = url_run
    print(output)  # the run's terminal summary, for `pytest -s`
    found = passes(report)
    for mode in ("TEXT", "HYBRID"):
        for exact in (False, True):
            assert found[(mode, exact)]["metrics"]["ndcg@5"]["mean"] >= 0.9, (mode, exact)
    assert report["ingest"] == {
        "pages": 16,
        "seconds": report["ingest"]["seconds"],
        "pages_with_text": 16,
        "uploaded_as": {"pdf": 16},
    }
    assert report["dataset"]["scored_queries"] == 22
    assert report["service"]["collection_kept"] is False and collections_left == 0


def test_visual_fast_path_agrees_with_exact(url_run: tuple[str, dict[str, Any], int]) -> None:
    output, report, _ = url_run
    fast, exact = passes(report)[("VISUAL", False)], passes(report)[("VISUAL", True)]
    assert len(fast["queries"]) == len(exact["queries"]) == 22
    for fast_query, exact_query in zip(fast["queries"], exact["queries"], strict=True):
        exact_scores = dict(zip(exact_query["ranking"], exact_query["scores"], strict=True))
        assert len(fast_query["ranking"]) == 10
        # The fast path reranks its candidates by exact MaxSim over the same stored vectors:
        # every page it returns has the score `exact` gives it.
        for page, score in zip(fast_query["ranking"], fast_query["scores"], strict=True):
            if page in exact_scores:
                assert score == pytest.approx(exact_scores[page], abs=1e-6)
        # The best page of the exact search is never lost by the first stage.
        assert exact_query["ranking"][0] in fast_query["ranking"]
    comparison = next(c for c in report["comparisons"] if c["mode"] == "VISUAL")
    assert comparison["queries"] == 22
    assert "randomly initialised test checkpoint" in output


def test_report_records_what_shapes_the_figures(url_run: tuple[str, dict[str, Any], int]) -> None:
    output, report, _ = url_run
    service = report["service"]
    assert service["kind"] == "remote (--url)" and service["user"] == "evaluator"
    assert service["model"].endswith("tiny-colqwen2")
    assert service["revision"] is None  # a server does not report it
    assert service["health"]["model"] == service["model"]
    assert {"python", "paliapi", "numpy", "pyarrow", "torch"} <= set(report["packages"])
    assert report["options"]["top_k"] == 10 and report["options"]["seed"] == 0
    assert len(report["dataset"]["fingerprint"]) == 64
    query = passes(report)[("TEXT", False)]["queries"][0]
    assert set(query) == {
        "query-id", "query", "ranking", "scores", "relevant", "metrics", "latency_ms", "took_ms",
    }  # fmt: skip
    for heading in ("nDCG@5", "MRR@10", "request p95", "exact - fast", "same top 10"):
        assert heading in output


def test_a_local_run_reproduces_the_rankings(
    url_run: tuple[str, dict[str, Any], int],
    sanity_dir: Path,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No --url: the service starts in this process on the configured database, as the eval
    user; a second run, with a fresh collection, ranks every query the same way."""
    monkeypatch.setattr(settings, "database_url", database_url)
    for name, value in FAST_PATH.items():
        monkeypatch.setattr(settings, name, value)
    _, report = run_eval(
        str(sanity_dir), *MODES, "--top-k", "10", "--out", str(tmp_path / "b.json")
    )
    assert report["service"]["kind"].startswith("local")
    assert report["service"]["user"] == "paliapi-eval"
    assert report["service"]["settings"]["search_rerank"] == 4
    assert report["service"]["revision"].startswith("local:")
    first, second = passes(url_run[1]), passes(report)
    for mode in ("TEXT", "HYBRID", "VISUAL"):
        assert rankings(second[(mode, False)]) == rankings(first[(mode, False)]), mode


def test_usage_errors_are_one_line_messages(sanity_dir: Path, tmp_path: Path) -> None:
    bad_mode = runner.invoke(cli, ["eval", str(sanity_dir), "--mode", "FUZZY"])
    assert bad_mode.exit_code == 2 and "'FUZZY' is not a valid EvalMode" in bad_mode.output
    no_token = runner.invoke(
        cli, ["eval", str(sanity_dir), "--url", "http://127.0.0.1:9"], env={"PALIAPI_TOKEN": ""}
    )
    assert no_token.exit_code == 1 and "--url needs --token" in no_token.output
    # A long path on a narrow terminal: the message stays on one line all the same.
    missing = runner.invoke(cli, ["eval", str(tmp_path / ("x" * 80))], env={"COLUMNS": "40"})
    assert missing.exit_code == 1 and "is not a dataset directory" in missing.output
    assert missing.output.count("\n") == 1, missing.output
    if importlib.util.find_spec("datasets") is None:
        hub = runner.invoke(cli, ["eval", "vidore/docvqa_test_subsampled_beir"])
        assert hub.exit_code == 1 and "pip install 'paliapi[eval]'" in hub.output
