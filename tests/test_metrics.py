"""`/metrics` over real HTTP: GraphQL operations by name and code, HTTP routes, queue gauges."""

from __future__ import annotations

import time

import httpx
import pytest
from pgqueuer import AsyncpgDriver, Queries
from prometheus_client.parser import text_string_to_metric_families

from app.db.engine import Database
from app.db.page_store import driver_connection
from app.schema import operation_metrics
from app.schema.operation_metrics import bounded_name
from app.settings import settings
from tests.conftest import Api

MISSING = 'mutation Rename { updateCollection(input: {name: "missing", newName: "x"}) { name } }'


def scrape(http: httpx.Client) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of /metrics, keyed by (name, labels)."""
    response = http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_operations_are_counted_by_name_and_code(http: httpx.Client, alice: Api) -> None:
    before = scrape(http)
    for _ in range(3):
        alice.data("query Me { me { name } }")
    assert alice.error(MISSING)["code"] == "NOT_FOUND"
    Api(http, None).error("query Me { me { name } }")  # no token
    alice.data("{ me { name } }")
    after = scrape(http)

    counted = "paliapi_graphql_requests_total"
    assert (
        value(after, counted, operation="Me", code="OK")
        - value(before, counted, operation="Me", code="OK")
        == 3
    )
    assert (
        value(after, counted, operation="Rename", code="NOT_FOUND")
        - value(before, counted, operation="Rename", code="NOT_FOUND")
        == 1
    )
    assert (
        value(after, counted, operation="Me", code="UNAUTHENTICATED")
        - value(before, counted, operation="Me", code="UNAUTHENTICATED")
        == 1
    )
    assert value(after, counted, operation="anonymous", code="OK") > value(
        before, counted, operation="anonymous", code="OK"
    )
    timed = "paliapi_graphql_request_seconds_count"
    assert value(after, timed, operation="Me") - value(before, timed, operation="Me") == 4
    http_count = "paliapi_http_requests_total"
    assert (
        value(after, http_count, route="/graphql", status="200")
        - value(before, http_count, route="/graphql", status="200")
        >= 6
    )


def test_every_family_is_exported(http: httpx.Client, alice: Api) -> None:
    alice.data('query Find { search(input: {query: "revenue", mode: TEXT}) { tookMs } }')
    names = {family.name for family in text_string_to_metric_families(http.get("/metrics").text)}
    for family in (
        "paliapi_graphql_requests",
        "paliapi_graphql_request_seconds",
        "paliapi_http_requests",
        "paliapi_search_stage_seconds",
        "paliapi_ingest_pages",
        "paliapi_ingest_documents",
        "paliapi_queue_depth",
        "paliapi_queue_oldest_job_seconds",
        "paliapi_embedder_seconds",
        "paliapi_embedder_errors",
        "paliapi_cache_entries",
        "process_resident_memory_bytes",
    ):
        assert family in names, family


async def test_queue_gauges_read_the_job_table(http: httpx.Client, db: Database) -> None:
    # A job for an entrypoint no worker serves stays queued: the gauges must count it.
    async with db.transaction() as session:
        queries = Queries(AsyncpgDriver(await driver_connection(session)))
        for _ in range(2):
            await queries.enqueue("metrics_probe", None)
    time.sleep(0.2)
    samples = scrape(http)
    assert value(samples, "paliapi_queue_depth", status="queued") == 2
    assert value(samples, "paliapi_queue_oldest_job_seconds") >= 0.2


def test_metrics_token_is_enforced_when_set(
    http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "metrics_token", "scrape-secret")
    refused = http.get("/metrics")
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    allowed = http.get("/metrics", headers={"Authorization": "Bearer scrape-secret"})
    assert allowed.status_code == 200


def test_operation_names_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(operation_metrics, "_seen", set())
    assert bounded_name(None) == "anonymous"
    assert bounded_name("not a name; DROP") == "anonymous"
    assert bounded_name("x" * 65) == "anonymous"
    assert bounded_name("SearchPages") == "SearchPages"
    for i in range(500):
        bounded_name(f"Generated{i}")
    assert bounded_name("NeverSeenBefore") == "other"
    assert bounded_name("SearchPages") == "SearchPages"  # names already seen keep their series
