"""TEXT mode: Postgres full-text search over the pages' extracted text (GIN-indexed tsvector)."""

from __future__ import annotations

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT
from sqlalchemy.ext.asyncio import AsyncSession

from app.search.scope import Scope

# websearch_to_tsquery accepts what people type ("quoted phrases", -exclusions, or) and never
# fails on syntax; ts_rank_cd rewards query words that appear close together.
_SQL = """
SELECT p.id AS page_id, ts_rank_cd(p.text_tsv, q) AS score
FROM pages p
JOIN documents d ON d.id = p.document_id,
     websearch_to_tsquery('english', :query) q
WHERE d.owner_id = :owner AND d.collection_id = ANY(:collections)
  AND (:all_documents OR d.id = ANY(:documents))
  AND p.text_tsv @@ q
ORDER BY score DESC, p.id
LIMIT :limit
"""
_QUERY = text(_SQL).bindparams(
    bindparam("collections", type_=ARRAY(BIGINT)), bindparam("documents", type_=ARRAY(BIGINT))
)


async def text_search(
    session: AsyncSession, *, owner_id: int, scope: Scope, query: str, limit: int
) -> list[tuple[int, float]]:
    rows = await session.execute(
        _QUERY,
        {
            "query": query,
            "owner": owner_id,
            "collections": sorted(scope.collection_ids),
            "all_documents": scope.document_ids is None,
            "documents": sorted(scope.document_ids or ()),
            "limit": limit,
        },
    )
    return [(int(r.page_id), float(r.score)) for r in rows]
