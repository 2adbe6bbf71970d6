"""Which pages a search may consider: the owner's, narrowed by collection and metadata filters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.db.metadata_filter import compile_filter
from app.db.models import Collection, Document, User, metadata_column
from app.errors import ErrorCode, PaliError, not_found


@dataclass(frozen=True)
class Scope:
    collection_ids: frozenset[int]
    document_ids: frozenset[int] | None  # None: every document of those collections
    # From the documents' page counts: chooses the first stage's plan, never its result.
    pages: int = 0


async def resolve_scope(
    session: AsyncSession,
    *,
    owner: User,
    model: str,
    collection_name: str | None,
    collection_filter: Any,
    document_filter: Any,
) -> Scope:
    pages = (  # the owner's documents only: without it, every tenant's documents are read
        select(func.coalesce(func.sum(Document.page_count), 0))
        .where(
            col(Document.owner_id) == owner.id, col(Document.collection_id) == col(Collection.id)
        )
        .scalar_subquery()
    )
    stmt = select(
        col(Collection.id), col(Collection.name), col(Collection.model), pages.label("pages")
    ).where(col(Collection.owner_id) == owner.id)
    if collection_name is not None:
        stmt = stmt.where(col(Collection.name) == collection_name)
    if collection_filter is not None:
        stmt = stmt.where(
            compile_filter(metadata_column(Collection), collection_filter, where="collectionFilter")
        )
    rows = (await session.execute(stmt)).all()
    if collection_name is not None and not rows:
        raise not_found("Collection", collection_name)
    if collection_name is not None and rows[0].model != model and rows[0].pages:
        raise PaliError(
            ErrorCode.CONFLICT,
            f"Collection {collection_name!r} is embedded with {rows[0].model!r}; this server "
            f"searches with {model!r}. Serve {rows[0].model!r} again (EMBEDDINGS_MODEL, "
            "EMBEDDINGS_URL) to search it.",
        )
    collections = frozenset(int(r.id) for r in rows if r.model == model)
    page_count = sum(int(r.pages) for r in rows if r.model == model)
    documents: frozenset[int] | None = None
    if document_filter is not None:
        found = await session.execute(
            select(col(Document.id), col(Document.page_count)).where(
                col(Document.owner_id) == owner.id,
                col(Document.collection_id).in_(collections),
                compile_filter(metadata_column(Document), document_filter, where="documentFilter"),
            )
        )
        matched = found.all()
        documents = frozenset(int(r.id) for r in matched)
        page_count = sum(int(r.page_count) for r in matched)
    return Scope(collections, documents, page_count)
