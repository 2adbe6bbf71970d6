"""Prometheus metrics: every metric the service exports is defined here, once.

Modules import the metric they record; `/metrics` renders the default registry. Label values
are bounded sets (operation names are capped, codes are the ErrorCode enum), so a client
cannot blow up the number of series.

Each process exports its own figures (prometheus-client's default, single-process registry):
run several API replicas or workers and Prometheus scrapes each one, then sums across
instances. A `paliapi worker` serves no HTTP, so its ingestion counters are not scraped; the
queue gauges, read from Postgres at scrape time, cover every worker.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import Counter, Gauge, Histogram

# Latency buckets from 1 ms to 60 s: searches sit at the low end, `wait: true` uploads high.
_SECONDS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)

GRAPHQL_REQUESTS = Counter(
    "paliapi_graphql_requests_total",
    "GraphQL operations answered, by operation name and outcome code ('OK' when no error).",
    ["operation", "code"],
)
GRAPHQL_LATENCY = Histogram(
    "paliapi_graphql_request_seconds",
    "Time to answer a GraphQL operation, by operation name.",
    ["operation"],
    buckets=_SECONDS,
)
SEARCH_STAGE_SECONDS = Histogram(
    "paliapi_search_stage_seconds",
    "Time spent in each stage of a search (embed, plan, first_stage, rerank, text, load).",
    ["stage"],
    buckets=_SECONDS,
)
INGEST_PAGES = Counter("paliapi_ingest_pages_total", "Pages ingested (rendered, embedded, stored).")
INGEST_DOCUMENTS = Counter(
    "paliapi_ingest_documents_total", "Documents whose ingestion ended, by status.", ["status"]
)
WEBHOOK_DELIVERIES = Counter(
    "paliapi_webhook_attempts_total",
    "Webhook delivery attempts, by outcome: succeeded, retried or failed (out of attempts).",
    ["outcome"],
)
QUEUE_DEPTH = Gauge(
    "paliapi_queue_depth", "Ingestion jobs waiting or running, by status.", ["status"]
)
QUEUE_OLDEST_SECONDS = Gauge(
    "paliapi_queue_oldest_job_seconds", "Age of the oldest queued ingestion job."
)
EMBEDDER_SECONDS = Histogram(
    "paliapi_embedder_seconds",
    "Embedding calls, by kind (images, queries).",
    ["kind"],
    buckets=_SECONDS,
)
EMBEDDER_ERRORS = Counter(
    "paliapi_embedder_errors_total", "Embedding calls that failed, by kind.", ["kind"]
)
CACHE_ENTRIES = Gauge(
    "paliapi_cache_entries", "Entries held by in-process caches, by cache.", ["cache"]
)
QUERY_CACHE_LOOKUPS = Counter(
    "paliapi_query_cache_lookups_total",
    "Query-embedding cache lookups, by result (hit, miss).",
    ["result"],
)
# Every HTTP request, GraphQL or not: the transport's own refusals (413, malformed bodies) and
# the image and health routes show up here. `route` is the route template, never the raw path.
HTTP_REQUESTS = Counter(
    "paliapi_http_requests_total",
    "HTTP requests answered, by route and status.",
    ["route", "status"],
)
HTTP_LATENCY = Histogram(
    "paliapi_http_request_seconds",
    "Time to answer an HTTP request, by route.",
    ["route"],
    buckets=_SECONDS,
)


@contextmanager
def embedder_call(kind: str) -> Iterator[None]:
    """Time one call to the embedding backend; count it as an error if it raises."""
    started = time.perf_counter()
    try:
        yield
    except BaseException:
        EMBEDDER_ERRORS.labels(kind).inc()
        raise
    finally:
        EMBEDDER_SECONDS.labels(kind).observe(time.perf_counter() - started)
