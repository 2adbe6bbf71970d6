"""Search: plan the candidate pages, score them by late interaction (MaxSim), or by text.

VISUAL: the query's multi-vector against the owner's in-memory centroid index (first
stage), then exact MaxSim on the stored vectors of the best `PALIAPI_SEARCH_RERANK` pages.
Scopes that filters make small (no more candidates than the rerank) skip the first stage;
`exact` scores every candidate exactly. TEXT: Postgres full text. HYBRID: reciprocal rank
fusion of the two.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np

from app.db.engine import Database
from app.db.models import User
from app.embeddings.base import Embedder
from app.errors import bad_input
from app.ingest.render import Renderer
from app.search.centroid_index import CentroidIndexCache
from app.search.rerank import as_query, exact_scores, top
from app.search.scope import Scope, resolve_scope
from app.search.text_search import text_search
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


def _validate(request: SearchRequest) -> None:
    if not 1 <= request.top_k <= settings.search_max_top_k:
        raise bad_input(
            f"`topK` must be between 1 and {settings.search_max_top_k}, got {request.top_k}."
        )
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
    cache: CentroidIndexCache,
    owner: User,
    request: SearchRequest,
) -> SearchOutcome:
    _validate(request)
    query = None
    if request.mode is not SearchMode.TEXT:
        if request.image is not None:
            image = await renderer.query_image(request.image)
            query = as_query((await embedder.embed_images([image]))[0])
        else:
            query = as_query((await embedder.embed_queries([request.query or ""]))[0])
    return await search_embedded(
        db=db, cache=cache, owner=owner, model=embedder.model_name, request=request, query=query
    )


async def search_embedded(
    *,
    db: Database,
    cache: CentroidIndexCache,
    owner: User,
    model: str,
    request: SearchRequest,
    query: Float32Matrix | None,
) -> SearchOutcome:
    """The search proper, once the query is embedded (`tookMs` counts from here)."""
    started = time.perf_counter()
    assert owner.id is not None
    async with db.session() as session:
        scope = await resolve_scope(
            session,
            owner=owner,
            model=model,
            collection_name=request.collection_name,
            collection_filter=request.collection_filter,
            document_filter=request.document_filter,
        )
        depth = request.top_k if request.mode is not SearchMode.HYBRID else HYBRID_DEPTH
        visual: list[tuple[int, float]] = []
        textual: list[tuple[int, float]] = []
        if scope.collection_ids and query is not None:
            visual = await _visual(
                session, cache, owner.id, model, scope, query, depth, request.exact
            )
        if scope.collection_ids and request.mode is not SearchMode.VISUAL:
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
    cache: CentroidIndexCache,
    owner_id: int,
    model: str,
    scope: Scope,
    query: Float32Matrix,
    k: int,
    exact: bool,
) -> list[tuple[int, float]]:
    index = await cache.get(session, owner_id, model)
    mask = np.isin(index.collection_ids, np.fromiter(scope.collection_ids, dtype=np.int64))
    if scope.document_ids is not None:
        mask &= np.isin(index.document_ids, np.fromiter(scope.document_ids, dtype=np.int64))
    rows = np.flatnonzero(mask)
    rerank = max(settings.search_rerank, k)
    if not exact and len(rows) > rerank:
        approximate = index.scores(query, rows)
        rows = rows[np.argpartition(-approximate, rerank - 1)[:rerank]]
    candidates = [int(i) for i in index.page_ids[rows]]
    return top(await exact_scores(session, query, candidates), k)


def reciprocal_rank_fusion(rankings: list[list[tuple[int, float]]]) -> list[tuple[int, float]]:
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, (page_id, _) in enumerate(ranking, start=1):
            fused[page_id] = fused.get(page_id, 0.0) + 1.0 / (RRF_K + rank)
    return top(fused, len(fused))
