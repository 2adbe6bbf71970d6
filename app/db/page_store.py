"""The bulk write of a document's pages and embeddings: binary COPY, in the caller's transaction.

One INSERT per row costs a round trip and a parse per row; COPY streams all rows of a table
in one command, so a 1,000-page document is two COPYs and one SELECT (see bench/ingest.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.db import vectors
from app.types import MultiVector


class PageLike(Protocol):
    @property
    def number(self) -> int: ...
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...
    @property
    def text(self) -> str | None: ...
    @property
    def image(self) -> bytes: ...
    @property
    def mime(self) -> str: ...


PAGE_COLUMNS = ("document_id", "number", "width", "height", "text", "image", "image_mime")
EMBEDDING_COLUMNS = (
    "page_id",
    "owner_id",
    "collection_id",
    "document_id",
    "model",
    "token_count",
    "dim",
    "codes",
    "scales",
    "centroids",
)


async def driver_connection(session: AsyncSession) -> Any:
    """The asyncpg connection under a session, in the session's transaction."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    return raw.driver_connection


async def replace_pages(
    session: AsyncSession,
    *,
    document_id: int,
    owner_id: int,
    collection_id: int,
    model: str,
    pages: Sequence[PageLike],
    embeddings: Sequence[MultiVector],
) -> None:
    """Write a document's pages and embeddings, replacing any earlier ones (idempotent)."""
    encoded = [vectors.encode(v) for v in embeddings]
    conn = await driver_connection(session)
    # A retried job after a crash finds nothing here (the crashed transaction rolled back);
    # deleting anyway makes a rerun safe whatever happened before.
    await conn.execute("DELETE FROM pages WHERE document_id = $1", document_id)
    await conn.copy_records_to_table(
        "pages",
        columns=PAGE_COLUMNS,
        records=[
            (document_id, p.number, p.width, p.height, p.text, p.image, p.mime) for p in pages
        ],
    )
    rows = await conn.fetch("SELECT id, number FROM pages WHERE document_id = $1", document_id)
    page_ids = {row["number"]: row["id"] for row in rows}
    await conn.copy_records_to_table(
        "page_embeddings",
        columns=EMBEDDING_COLUMNS,
        records=[
            (
                page_ids[page.number],
                owner_id,
                collection_id,
                document_id,
                model,
                e.token_count,
                e.dim,
                e.codes,
                e.scales,
                e.centroids,
            )
            for page, e in zip(pages, encoded, strict=True)
        ],
    )
