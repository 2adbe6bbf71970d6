"""`GET /metrics`: the Prometheus text format, with gauges read from the database at scrape time.

The queue's depth and oldest job are read from pgqueuer's table when Prometheus asks, so the
figures cover every worker process (not just this one), and cost nothing between scrapes.
"""

from __future__ import annotations

import hmac
import logging

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import Response

from app.auth import bearer_token
from app.db.engine import Database
from app.errors import ErrorCode
from app.http_limits import error_response
from app.jobs import queue_stats
from app.metrics import CACHE_ENTRIES, QUEUE_DEPTH, QUEUE_OLDEST_SECONDS
from app.settings import settings

log = logging.getLogger(__name__)

# pgqueuer's job states a job passes through while it is still owed work.
QUEUE_STATES = ("queued", "picked")


async def refresh_queue_gauges(db: Database) -> None:
    async with db.session() as session:
        stats = await queue_stats(session)
    for status in QUEUE_STATES:
        QUEUE_DEPTH.labels(status).set(stats[status].jobs if status in stats else 0)
    QUEUE_OLDEST_SECONDS.set(stats["queued"].oldest_s if "queued" in stats else 0.0)


def _refresh_cache_gauges(request: Request) -> None:
    embedder = getattr(request.app.state, "embedder", None)
    size = getattr(embedder, "cache_size", None)
    if isinstance(size, int):
        CACHE_ENTRIES.labels("query_embeddings").set(size)
    indexes = getattr(getattr(request.app.state, "search_cache", None), "entries", None)
    if isinstance(indexes, int):
        CACHE_ENTRIES.labels("search_indexes").set(indexes)


async def metrics(request: Request) -> Response:
    token = settings.metrics_token
    if token and not hmac.compare_digest(bearer_token(request) or "", token):
        return error_response(
            401, ErrorCode.UNAUTHENTICATED, "Send `Authorization: Bearer <PALIAPI_METRICS_TOKEN>`."
        )
    try:
        await refresh_queue_gauges(request.app.state.db)
    except Exception as error:
        # A scrape still answers with everything else; the stale gauges say when they were set.
        log.warning("could not read the job queue for /metrics: %s", error)
    _refresh_cache_gauges(request)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
