"""TEXT mode: Postgres full-text search over the pages' extracted text (GIN-indexed tsvector)."""

from __future__ import annotations

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT
from sqlalchemy.ext.asyncio import AsyncSession

from app.search.scope import Scope

# A page matches when it has any of the query's words (their stems, OR'ed: people type
# questions, and few pages hold every word of one); pages matching the whole query as
# websearch_to_tsquery reads it (all words, "quoted phrases", -exclusions) rank first, then
# ts_rank_cd, which rewards matched words that appear close together.
_SQL = """
WITH q AS (
  SELECT websearch_to_tsquery('english', :query) AS every_word,
         NULLIF(array_to_string(ARRAY(
           SELECT quote_literal(lexeme)
           FROM unnest(tsvector_to_array(to_tsvector('english', :query))) AS lexeme
         ), ' | '), '')::tsquery AS any_word
)
SELECT p.id AS page_id,
       (p.text_tsv @@ q.every_word)::int + ts_rank_cd(p.text_tsv, q.any_word) AS score
FROM pages p
JOIN documents d ON d.owner_id = p.owner_id AND d.id = p.document_id, q
WHERE p.owner_id = :owner AND d.owner_id = :owner AND d.collection_id = ANY(:collections)
  AND (:all_documents OR d.id = ANY(:documents))
  AND p.text_tsv @@ q.any_word
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
