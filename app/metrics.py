"""Prometheus metrics: every metric the service exports is defined here, once.

Modules import the metric they record; `/metrics` renders the default registry. Label values
are bounded sets (operation names are capped, codes are the ErrorCode enum), so a client
cannot blow up the number of series.
"""

from __future__ import annotations

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
QUEUE_DEPTH = Gauge("paliapi_queue_depth", "Ingestion jobs waiting or running, by status.", ["status"])
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
