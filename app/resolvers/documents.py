"""Resolvers for documents stored in collections."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import cast

from strawberry.scalars import JSON
from strawberry.types import Info

from app import rate_limits
from app.resolvers.lookup import none_if_missing
from app.schema.documents import (
    Document,
    DocumentConnection,
    UpdateDocumentInput,
    UploadDocumentInput,
)
from app.schema.pagination import to_connection
from app.services import documents as service
from app.services import uploads

STATUS_POLL_S = 0.25


async def document(info: Info, collection_name: str, name: str) -> Document | None:
    async with info.context.db.session() as session:
        row = await none_if_missing(
            service.get_document(
                session=session,
                owner=info.context.owner,
                collection_name=collection_name,
                name=name,
            )
        )
    return Document.from_model(row) if row is not None else None


async def documents(
    info: Info,
    collection_name: str | None = None,
    filter: JSON | None = None,
    first: int | None = None,
    after: str | None = None,
) -> DocumentConnection:
    async with info.context.db.session() as session:
        page = await service.list_documents(
            session=session,
            owner=info.context.owner,
            collection_name=collection_name,
            filter=filter,
            first=first,
            after=after,
        )
    return to_connection(DocumentConnection, page, Document.from_model)


async def update_document(info: Info, input: UpdateDocumentInput) -> Document:
    async with info.context.db.transaction() as session:
        row = await service.update_document(
            session=session,
            owner=info.context.owner,
            collection_name=input.collection_name,
            name=input.name,
            new_name=input.new_name,
            metadata=input.metadata,
            new_collection_name=input.new_collection_name,
        )
    return Document.from_model(row)


async def delete_document(info: Info, collection_name: str, name: str) -> bool:
    async with info.context.db.transaction() as session:
        await service.delete_document(
            session=session, owner=info.context.owner, collection_name=collection_name, name=name
        )
    return True


async def upload_document(info: Info, input: UploadDocumentInput) -> Document:
    context = info.context
    upload = cast("uploads.UploadedFile | None", input.file)  # a Starlette UploadFile
    try:
        await rate_limits.take(context.db, context.owner, rate_limits.upload_bucket())
        row = await uploads.upload_document(
            db=context.db,
            renderer=context.renderer,
            owner=context.owner,
            collection_name=input.collection_name,
            name=input.name,
            metadata=input.metadata,
            overwrite=input.overwrite,
            source=uploads.Source(file=upload, url=input.url, base64=input.base64),
        )
    finally:
        if upload is not None:
            await upload.close()  # the spooled temporary file, at once
    if input.wait:
        row = await uploads.wait_until_done(
            db=context.db,
            owner_id=row.owner_id,
            document_id=row.id,  # type: ignore[arg-type]
        )
    return Document.from_model(row)


async def retry_document(info: Info, collection_name: str, name: str) -> Document:
    row = await uploads.retry_document(
        db=info.context.db, owner=info.context.owner, collection_name=collection_name, name=name
    )
    return Document.from_model(row)


async def document_status(
    info: Info, collection_name: str, name: str
) -> AsyncGenerator[Document, None]:
    """The document now, then each time its status or progress changes, until done."""
    last: tuple[object, ...] | None = None
    while True:
        async with info.context.db.session() as session:
            row = await service.get_document(
                session=session,
                owner=info.context.owner,
                collection_name=collection_name,
                name=name,
            )
        state = (row.status, row.progress, row.error, row.page_count)
        if state != last:
            last = state
            yield Document.from_model(row)
        if row.status in uploads.TERMINAL:
            return
        await asyncio.sleep(STATUS_POLL_S)
