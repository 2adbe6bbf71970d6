"""run_eval on a corpus of images: TEXT has nothing to match and the report says so."""

from __future__ import annotations

import pytest

from app.evals.client import ServiceClient
from app.evals.dataset import assemble
from app.evals.errors import EvalError
from app.evals.results import EvalMode, EvalOptions
from app.evals.runner import collection_name, run_eval
from tests.files import image


def test_image_pages_have_no_text_and_the_report_says_so(server: str, eval_token: str) -> None:
    dataset = assemble(
        "two images",
        "memory",
        [{"corpus-id": 1, "image": image("PNG")}, {"corpus-id": 2, "image": image("PNG")}],
        [{"query-id": "q", "query": "frame"}, {"query-id": "unjudged", "query": "frame"}],
        [{"query-id": "q", "corpus-id": 2, "score": 1}],
    )
    options = EvalOptions(modes=(EvalMode.TEXT, EvalMode.VISUAL), keep_collection=True)
    with ServiceClient(server, eval_token) as client:
        report = run_eval(dataset, client, options)
        kept = client.collection(report.service["collection"])
    assert kept is not None and kept["pageCount"] == 2
    assert report.service["collection"].startswith("eval-two-images-")
    assert report.dataset["scored_queries"] == 1
    text, visual = report.passes
    assert text.queries[0].ranking == [] and text.summary["ndcg@5"].mean == 0.0
    assert sorted(visual.queries[0].ranking) == ["1", "2"]
    assert any("No page has text" in note for note in report.notes)


def test_nothing_to_score_is_an_error_before_any_upload(server: str, eval_token: str) -> None:
    dataset = assemble("empty qrels", "memory", [{"corpus-id": 1, "image": b"x"}], [], [])
    with (
        ServiceClient(server, eval_token) as client,
        pytest.raises(EvalError, match="nothing to score"),
    ):
        run_eval(dataset, client, EvalOptions())
    with ServiceClient(server, eval_token) as client:
        assert client.graphql("{ collections { totalCount } }")["collections"]["totalCount"] == 0


def test_collection_names_say_what_they_are() -> None:
    from datetime import UTC, datetime

    name = collection_name("DocVQA test/subsampled", datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert name.startswith("eval-docvqa-test-subsampled-20250102-030405-")
