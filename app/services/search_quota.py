"""The cap on how many pages one `exact: true` search may score (admins exempt).

Exact scoring reads and scores every candidate page's vectors, so its cost grows with the
scope; the cap keeps one request from scoring a whole large corpus. It is checked before
any embedding or scoring, with one count over the pages in scope.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import col

from app.db.engine import Database
from app.db.models import PageEmbedding, User
from app.errors import bad_input
from app.search.scope import resolve_scope
from app.services.search import SearchMode, SearchRequest
from app.settings import settings


async def check_exact_candidates(
    *, db: Database, owner: User, model: str, request: SearchRequest
) -> None:
    """BAD_USER_INPUT if an `exact` search would score more pages than the cap allows."""
    if not request.exact or request.mode is SearchMode.TEXT or owner.is_admin:
        return
    limit = settings.max_exact_candidates
    async with db.session() as session:
        scope = await resolve_scope(
            session,
            owner=owner,
            model=model,
            collection_name=request.collection_name,
            collection_filter=request.collection_filter,
            document_filter=request.document_filter,
        )
        if not scope.collection_ids:
            return
        pages = select(col(PageEmbedding.page_id)).where(
            col(PageEmbedding.owner_id) == owner.id,
            col(PageEmbedding.model) == model,
            col(PageEmbedding.collection_id).in_(scope.collection_ids),
        )
        if scope.document_ids is not None:
            pages = pages.where(col(PageEmbedding.document_id).in_(scope.document_ids))
        # Counting stops past the cap: only whether the scope exceeds it matters.
        candidates = int(
            await session.scalar(
                select(func.count()).select_from(pages.limit(limit + 1).subquery())
            )
            or 0
        )
    if candidates > limit:
        raise bad_input(
            f"`exact: true` would score more than {limit} pages, the most allowed "
            "(PALIAPI_MAX_EXACT_CANDIDATES). Narrow the scope with `collectionName`, "
            "`collectionFilter` or `documentFilter`, or search without `exact`.",
            limit=limit,
        )
