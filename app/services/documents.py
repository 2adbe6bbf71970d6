"""Documents in collections: lookup, listing with metadata filters, rename, move, delete."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer
from sqlmodel import col

from app.db.integrity import violations_as
from app.db.metadata_filter import compile_filter
from app.db.models import (
    Collection,
    Document,
    Page,
    PageEmbedding,
    PageKey,
    User,
    metadata_column,
)
from app.errors import ErrorCode, PaliError, bad_input, not_found
from app.services import webhooks
from app.services.collections import get_collection
from app.services.names import check_metadata, check_name, check_text_fields
from app.services.pagination import Slice, paginate

MAX_NAME = 300


def _conflict(name: str, collection: str) -> PaliError:
    return PaliError(
        ErrorCode.CONFLICT,
        f"Collection {collection!r} already has a document named {name!r}; "
        "choose another name or pass `overwrite: true`.",
    )


async def find_document(
    session: AsyncSession, collection: Collection, name: str
) -> Document | None:
    """The collection's document called `name`: one lookup in the owner's unique index."""
    found: Document | None = await session.scalar(
        select(Document).where(
            col(Document.owner_id) == collection.owner_id,
            col(Document.collection_id) == collection.id,
            col(Document.name) == name,
        )
    )
    return found


async def get_document(
    *, session: AsyncSession, owner: User, collection_name: str, name: str
) -> Document:
    collection = await get_collection(session=session, owner=owner, name=collection_name)
    check_text_fields(name=name)
    document = await find_document(session, collection, name)
    if document is None:
        raise not_found("Document", f"{collection_name}/{name}")
    return document


async def list_documents(
    *,
    session: AsyncSession,
    owner: User,
    collection_name: str | None = None,
    collection_id: int | None = None,
    filter: Any = None,
    first: int | None = None,
    after: str | None = None,
) -> Slice[Document]:
    stmt = select(Document).where(Document.owner_id == owner.id)  # type: ignore[arg-type]
    if collection_name is not None:
        collection_id = (
            await get_collection(session=session, owner=owner, name=collection_name)
        ).id
    if collection_id is not None:
        stmt = stmt.where(Document.collection_id == collection_id)  # type: ignore[arg-type]
    if filter is not None:
        stmt = stmt.where(compile_filter(metadata_column(Document), filter))
    return await paginate(session, stmt, Document.id, first=first, after=after)


async def list_pages(
    *,
    session: AsyncSession,
    owner_id: int,
    document_id: int,
    first: int | None,
    after: str | None,
) -> Slice[Page]:
    """A document's pages in order, without their image bytes (fetched only when asked for)."""
    stmt = (
        select(Page)
        .where(col(Page.owner_id) == owner_id, col(Page.document_id) == document_id)
        .options(defer(Page.image))  # type: ignore[arg-type]
    )
    return await paginate(session, stmt, Page.id, first=first, after=after)


async def update_document(
    *,
    session: AsyncSession,
    owner: User,
    collection_name: str,
    name: str,
    new_name: str | None = None,
    metadata: Any = None,
    new_collection_name: str | None = None,
) -> Document:
    """Rename, replace metadata, and/or move to another collection of the same model."""
    document = await get_document(
        session=session, owner=owner, collection_name=collection_name, name=name
    )
    target_name = collection_name
    target = None
    if new_collection_name is not None and new_collection_name != collection_name:
        source = await session.get_one(Collection, (owner.id, document.collection_id))
        target = await get_collection(session=session, owner=owner, name=new_collection_name)
        if target.model != source.model:
            raise bad_input(
                f"Collection {new_collection_name!r} uses model {target.model!r} but the document "
                f"was embedded with {source.model!r}; upload it there instead."
            )
        target_name = new_collection_name
    if new_name is not None:
        check_name("Document", new_name, max_length=MAX_NAME)
    meta = check_metadata(metadata) if metadata is not None else None
    if target is not None:
        document.collection_id = target.id  # type: ignore[assignment]
    if new_name is not None:
        document.name = new_name
    if meta is not None:
        document.meta = meta
    # The unique index on (collection, name) decides between concurrent renames and moves.
    with violations_as(
        unique=_conflict(new_name or name, target_name),
        foreign_key=not_found("Collection", target_name),
    ):
        await session.flush()
    if target is not None:
        # The embeddings and keys carry the collection id so searches need no join: keep it
        # in step.
        for table in (PageEmbedding, PageKey):
            await session.execute(
                update(table)
                .where(
                    col(table.owner_id) == owner.id,  # one partition of page_keys
                    col(table.document_id) == document.id,
                )
                .values(collection_id=target.id)
            )
    await session.refresh(document)
    return document


async def delete_document(
    *, session: AsyncSession, owner: User, collection_name: str, name: str
) -> None:
    """Delete a document with its pages and embeddings (cascade)."""
    document = await get_document(
        session=session, owner=owner, collection_name=collection_name, name=name
    )
    await webhooks.emit_document_event(session, webhooks.DOCUMENT_DELETED, document)
    await session.delete(document)
    await session.flush()
