"""The bulk write of a document's pages and embeddings: binary COPY, in the caller's transaction.

One INSERT per row costs a round trip and a parse per row; COPY streams all rows of a table
in one command, so a 1,000-page document is two COPYs and one SELECT (see bench/ingest.py).
"""

from __future__ import annotations

import struct
import weakref
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import vectors
from gpu.wire import PatchGrid


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


PAGE_COLUMNS = (
    "owner_id",
    "document_id",
    "number",
    "width",
    "height",
    "text",
    "image",
    "image_mime",
)
EMBEDDING_COLUMNS = (
    "page_id",
    "owner_id",
    "collection_id",
    "document_id",
    "model",
    "token_count",
    "dim",
    "vectors",
    "patch_offset",
    "patch_rows",
    "patch_columns",
)
KEY_COLUMNS = (
    "page_id",
    "owner_id",
    "collection_id",
    "document_id",
    "model",
    "dim",
    "page_vector",
    "coarse",
)

# Connections that can send `halfvec` in binary COPY (asyncpg has no codec for it built in).
_HALFVEC_READY: weakref.WeakSet[Any] = weakref.WeakSet()


def _encode_halfvec(value: Any) -> bytes:
    """pgvector's binary `halfvec`: dimension and a reserved uint16, then big-endian float16s."""
    array = np.asarray(value, dtype=">f2")
    return struct.pack(">HH", len(array), 0) + array.tobytes()


def _decode_halfvec(data: bytes) -> Any:
    dim = struct.unpack_from(">H", data)[0]
    return np.frombuffer(data, dtype=">f2", count=dim, offset=4).astype(np.float32)


async def _ensure_halfvec_codec(conn: Any) -> None:
    """Register the codec once per connection (it costs one catalog query)."""
    if conn not in _HALFVEC_READY:
        await conn.set_type_codec(
            "halfvec",
            schema="public",
            encoder=_encode_halfvec,
            decoder=_decode_halfvec,
            format="binary",
        )
        _HALFVEC_READY.add(conn)


async def driver_connection(session: AsyncSession) -> Any:
    """The asyncpg connection under a session, in the session's transaction."""
    connection = await session.connection()
    driver: Any = (await connection.get_raw_connection()).driver_connection
    if not driver.is_in_transaction():
        # The driver sends BEGIN with the session's first statement: statements sent to the
        # asyncpg connection before one would each commit on their own (and SET LOCAL would
        # not hold).
        await connection.exec_driver_sql("SELECT 1")
    return driver


async def replace_pages(
    session: AsyncSession,
    *,
    document_id: int,
    owner_id: int,
    collection_id: int,
    model: str,
    pages: Sequence[PageLike],
    embeddings: Sequence[vectors.EncodedPage],
    grids: Sequence[PatchGrid | None] | None = None,
) -> None:
    """Write a document's pages and embeddings, replacing any earlier ones (idempotent)."""
    conn = await driver_connection(session)
    # A retried job after a crash finds nothing here (the crashed transaction rolled back);
    # deleting anyway makes a rerun safe whatever happened before.
    await conn.execute(
        "DELETE FROM pages WHERE owner_id = $1 AND document_id = $2", owner_id, document_id
    )
    await write_document(
        conn,
        document_id=document_id,
        owner_id=owner_id,
        collection_id=collection_id,
        model=model,
        pages=pages,
        embeddings=embeddings,
        grids=grids,
    )


async def write_document(
    conn: Any,
    *,
    document_id: int,
    owner_id: int,
    collection_id: int,
    model: str,
    pages: Sequence[PageLike],
    embeddings: Sequence[vectors.EncodedPage],
    grids: Sequence[PatchGrid | None] | None = None,
) -> list[int]:
    """A document's pages, then one embedding row a page; the page ids, in the order given."""
    page_ids = await write_pages(conn, owner_id, document_id, pages)
    await write_embeddings(
        conn,
        page_ids,
        owner_id=owner_id,
        collection_id=collection_id,
        document_id=document_id,
        model=model,
        embeddings=embeddings,
        grids=grids,
    )
    return page_ids


async def write_pages(
    conn: Any, owner_id: int, document_id: int, pages: Sequence[PageLike]
) -> list[int]:
    """COPY the pages in; their ids, in the order given."""
    await conn.copy_records_to_table(
        "pages",
        columns=PAGE_COLUMNS,
        records=[
            (owner_id, document_id, p.number, p.width, p.height, p.text, p.image, p.mime)
            for p in pages
        ],
    )
    rows = await conn.fetch(
        "SELECT id, number FROM pages WHERE owner_id = $1 AND document_id = $2",
        owner_id,
        document_id,
    )
    by_number = {row["number"]: row["id"] for row in rows}
    return [by_number[p.number] for p in pages]


async def write_embeddings(
    conn: Any,
    page_ids: Sequence[int],
    *,
    owner_id: int,
    collection_id: int,
    document_id: int,
    model: str,
    embeddings: Sequence[vectors.EncodedPage],
    grids: Sequence[PatchGrid | None] | None = None,
) -> None:
    """COPY per page one embedding row (the tokens, out of line), one centroids row and one
    key row (the pooled `halfvec`, whose HNSW entry Postgres adds in the same transaction, so
    the page is searchable as soon as the caller commits). `grids`: each page's patch grid,
    for similarity maps (none given: no maps)."""
    await _ensure_halfvec_codec(conn)
    patches = list(grids) if grids is not None else [None] * len(embeddings)
    await conn.copy_records_to_table(
        "page_embeddings",
        columns=EMBEDDING_COLUMNS,
        records=[
            (
                page_id,
                owner_id,
                collection_id,
                document_id,
                model,
                e.token_count,
                e.dim,
                e.vectors,
                g.offset if g else None,
                g.rows if g else None,
                g.columns if g else None,
            )
            for page_id, e, g in zip(page_ids, embeddings, patches, strict=True)
        ],
    )
    await conn.copy_records_to_table(
        "page_centroids",
        columns=("page_id", "owner_id", "centroids"),
        records=[
            (page_id, owner_id, e.centroids)
            for page_id, e in zip(page_ids, embeddings, strict=True)
        ],
    )
    await conn.copy_records_to_table(
        "page_keys",
        columns=KEY_COLUMNS,
        records=[
            (page_id, owner_id, collection_id, document_id, model, e.dim, e.pooled, e.coarse)
            for page_id, e in zip(page_ids, embeddings, strict=True)
        ],
    )
