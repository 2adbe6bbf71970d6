"""What a page costs on disk, as both benchmarks report it."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# The page's values as stored (tokens out of line; pooled vector and coarse centroids in its
# key row), plus the centroids table per row as a whole: a centroids row fills half a heap
# page and the other half cannot hold a second one, so its values alone would understate it
# by ~3.9 KB.
_STORED = text(
    "SELECT (SELECT avg(pg_column_size(e.vectors) + pg_column_size(k.page_vector)"
    " + pg_column_size(k.coarse))"
    " FROM page_embeddings e JOIN page_keys k USING (owner_id, page_id)"
    " WHERE e.owner_id = :owner)"
    " + pg_table_size('page_centroids') / greatest(1, (SELECT count(*) FROM page_centroids))"
)


async def stored_bytes_per_page(session: AsyncSession, owner_id: int) -> float:
    """Bytes a page of `owner_id` takes in page_embeddings, page_keys and page_centroids (no
    indexes)."""
    return float(await session.scalar(_STORED, {"owner": owner_id}) or 0)
