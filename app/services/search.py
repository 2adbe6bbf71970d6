"""Search: plan the candidate pages, score them by late interaction (MaxSim), or by text.

VISUAL: the first stage in Postgres (app/search/first_stage.py: an HNSW scan over pooled page
vectors for `PALIAPI_SEARCH_CANDIDATES` pages, then MaxSim over their 8 coarse centroids and
over the 32 centroids of the best third), then exact MaxSim on the stored vectors of the best
`PALIAPI_SEARCH_RERANK` pages (both counts grow past 10k pages in scope). Scopes no larger
than the rerank skip the first stage; `exact` scores every page of the scope exactly. NumPy
work runs in threads, never on the event loop.
TEXT: Postgres full text. HYBRID: reciprocal rank fusion of the two.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.db.engine import Database
from app.db.models import User
from app.embeddings.base import Embedder
from app.errors import bad_input
from app.heap import trimmed_when_idle
from app.ingest.render import Renderer
from app.metrics import SEARCH_STAGE_SECONDS
from app.search.first_stage import best_candidates, scope_pages, stage_sizes
from app.search.rerank import as_query, exact_scores, top
from app.search.scope import Scope, resolve_scope
from app.search.text_search import text_search
from app.services.names import check_text_fields
from app.settings import settings
from app.types import Float32Matrix

RRF_K = 60  # the usual reciprocal-rank-fusion constant
HYBRID_DEPTH = 50  # results taken from each side before fusing


class SearchMode(StrEnum):
    VISUAL = "VISUAL"
    TEXT = "TEXT"
    HYBRID = "HYBRID"


@dataclass(frozen=True)
class SearchRequest:
    query: str | None = None
    image: bytes | None = None
    collection_name: str | None = None
    collection_filter: Any = None
    document_filter: Any = None
    top_k: int = 3
    mode: SearchMode = SearchMode.VISUAL
    exact: bool = False


@dataclass(frozen=True)
class SearchOutcome:
    hits: list[tuple[int, float]]  # (page id, score), best first
    took_ms: float


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Time one stage of a search into `paliapi_search_stage_seconds`."""
    started = time.perf_counter()
    try:
        yield
    finally:
        SEARCH_STAGE_SECONDS.labels(name).observe(time.perf_counter() - started)


def _validate(request: SearchRequest) -> None:
    if not 1 <= request.top_k <= settings.search_max_top_k:
        raise bad_input(
            f"`topK` must be between 1 and {settings.search_max_top_k}, got {request.top_k}."
        )
    check_text_fields(query=request.query, collectionName=request.collection_name)
    text_query = (request.query or "").strip()
    if request.mode is SearchMode.VISUAL and bool(text_query) == (request.image is not None):
        raise bad_input("A VISUAL search needs exactly one of `query`, `image` or `imageBase64`.")
    if request.mode is not SearchMode.VISUAL and not text_query:
        raise bad_input(f"A {request.mode.value} search needs a text `query`.")


async def search(
    *,
    db: Database,
    embedder: Embedder,
    renderer: Renderer,
    owner: User,
    request: SearchRequest,
) -> SearchOutcome:
    _validate(request)
    query = None
    if request.mode is not SearchMode.TEXT:
        with stage("embed"):
            if request.image is not None:
                image = await renderer.query_image(request.image)
                query = as_query((await embedder.embed_images([image]))[0])
            else:
                query = as_query((await embedder.embed_queries([request.query or ""]))[0])
    return await search_embedded(
        db=db, owner=owner, model=embedder.model_name, request=request, query=query
    )


def check_exact_cap(owner: User, pages: int) -> None:
    """`exact: true` reads and scores every page in scope: capped, admins exempt."""
    limit = settings.max_exact_candidates
    if pages > limit and not owner.is_admin:
        raise bad_input(
            f"`exact: true` would score more than {limit} pages, the most allowed "
            "(PALIAPI_MAX_EXACT_CANDIDATES). Narrow the scope with `collectionName`, "
            "`collectionFilter` or `documentFilter`, or search without `exact`.",
            limit=limit,
        )


async def search_embedded(
    *,
    db: Database,
    owner: User,
    model: str,
    request: SearchRequest,
    query: Float32Matrix | None,
) -> SearchOutcome:
    """The search proper, once the query is embedded (`tookMs` counts from here)."""
    started = time.perf_counter()
    assert owner.id is not None
    async with trimmed_when_idle(), db.session() as session:
        with stage("plan"):
            scope = await resolve_scope(
                session,
                owner=owner,
                model=model,
                collection_name=request.collection_name,
                collection_filter=request.collection_filter,
                document_filter=request.document_filter,
            )
        if request.exact and request.mode is not SearchMode.TEXT:
            check_exact_cap(owner, scope.pages)
        depth = request.top_k if request.mode is not SearchMode.HYBRID else HYBRID_DEPTH
        visual: list[tuple[int, float]] = []
        textual: list[tuple[int, float]] = []
        if scope.collection_ids and query is not None:
            visual = await _visual(session, owner.id, model, scope, query, depth, request.exact)
        if scope.collection_ids and request.mode is not SearchMode.VISUAL:
            with stage("text"):
                textual = await text_search(
                    session, owner_id=owner.id, scope=scope, query=request.query or "", limit=depth
                )
    if request.mode is SearchMode.VISUAL:
        hits = visual
    elif request.mode is SearchMode.TEXT:
        hits = textual
    else:
        hits = reciprocal_rank_fusion([visual, textual])
    return SearchOutcome(hits[: request.top_k], (time.perf_counter() - started) * 1000)


async def _visual(
    session: Any,
    owner_id: int,
    model: str,
    scope: Scope,
    query: Float32Matrix,
    k: int,
    exact: bool,
) -> list[tuple[int, float]]:
    candidates, rerank = stage_sizes(scope.pages, k)
    with stage("first_stage"):
        if exact:
            chosen = await scope_pages(session, owner_id=owner_id, model=model, scope=scope)
        else:
            chosen = await best_candidates(
                session,
                owner_id=owner_id,
                model=model,
                scope=scope,
                query=query,
                # A scope no larger than this is read whole, without the index.
                candidates=candidates,
                keep=rerank,
            )
    with stage("rerank"):
        return top(await exact_scores(session, owner_id, query, chosen), k)


def reciprocal_rank_fusion(rankings: list[list[tuple[int, float]]]) -> list[tuple[int, float]]:
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, (page_id, _) in enumerate(ranking, start=1):
            fused[page_id] = fused.get(page_id, 0.0) + 1.0 / (RRF_K + rank)
    return top(fused, len(fused))
