"""The `Document` and `Page` types and their inputs."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload
from strawberry.scalars import JSON
from strawberry.types import Info

from app.db import models
from app.errors import not_found
from app.schema.pagination import to_connection
from app.schema.users import parse_ids, rows_to_nodes
from app.services import documents as document_service
from app.settings import settings

if TYPE_CHECKING:
    from app.schema.collections import Collection

DocumentStatus = strawberry.enum(models.DocumentStatus, name="DocumentStatus")


def public_url(path: str) -> str:
    """`path` under PALIAPI_PUBLIC_URL, or as it is (relative) when that is unset.

    Never built from the request's Host header: a forged Host would send the client, and the
    bearer token it attaches, to another server.
    """
    base = settings.public_url
    return f"{base.rstrip('/')}{path}" if base else path


@strawberry.type(name="Page")
class Page(relay.Node):
    id: relay.NodeID[int]
    number: int = strawberry.field(description="1-based page number.")
    width: int
    height: int
    text: str | None
    document_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.Page) -> Self:
        return cls(
            id=row.id,  # type: ignore[arg-type]
            number=row.number,
            width=row.width,
            height=row.height,
            text=row.text,
            document_id=row.document_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        rows = await info.context.loaders.page.load_many(parse_ids(node_ids))
        return rows_to_nodes(cls, rows)

    @strawberry.field(description="The page image; send the owner's bearer token to fetch it.")  # type: ignore[untyped-decorator]
    def image_url(self) -> str:
        return public_url(f"/pages/{self.id}/image")

    @strawberry.field(description="The page image, base64-encoded (prefer `imageUrl`).")  # type: ignore[untyped-decorator]
    async def image_base64(self, info: Info) -> str | None:
        image = await info.context.loaders.page_image.load(self.id)
        return base64.b64encode(image).decode() if image is not None else None

    @strawberry.field
    async def document(
        self, info: Info
    ) -> Annotated[Document, strawberry.lazy("app.schema.documents")]:
        row = await info.context.loaders.document.load(self.document_id)
        if row is None:
            raise not_found("Document", str(self.document_id))
        return Document.from_model(row)


@strawberry.type(name="PageConnection")
class PageConnection(relay.Connection[Page]):
    total_count: int


@strawberry.type(name="Document")
class Document(relay.Node):
    id: relay.NodeID[int]
    name: str
    metadata: JSON
    status: DocumentStatus  # type: ignore[valid-type]
    progress: float
    error: str | None
    mime_type: str | None
    page_count: int
    size_bytes: int | None
    content_sha256: str | None
    source_url: str | None
    created_at: datetime
    updated_at: datetime
    collection_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.Document) -> Self:
        return cls(
            id=row.id,  # type: ignore[arg-type]
            name=row.name,
            metadata=row.meta,  # type: ignore[arg-type]
            status=row.status,
            progress=row.progress,
            error=row.error,
            mime_type=row.mime_type,
            page_count=row.page_count,
            size_bytes=row.size_bytes,
            content_sha256=row.content_sha256,
            source_url=row.source_url,
            created_at=row.created_at,  # type: ignore[arg-type]
            updated_at=row.updated_at,  # type: ignore[arg-type]
            collection_id=row.collection_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        rows = await info.context.loaders.document.load_many(parse_ids(node_ids))
        return rows_to_nodes(cls, rows)

    @strawberry.field
    async def collection(
        self, info: Info
    ) -> Annotated[Collection, strawberry.lazy("app.schema.collections")]:
        from app.schema.collections import Collection

        row = await info.context.loaders.collection.load(self.collection_id)
        if row is None:
            raise not_found("Collection", str(self.collection_id))
        return Collection.from_model(row)

    @strawberry.field
    async def pages(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> PageConnection:
        async with info.context.db.session() as session:
            page = await document_service.list_pages(
                session=session, document_id=self.id, first=first, after=after
            )
        return to_connection(PageConnection, page, Page.from_model)


@strawberry.type(name="DocumentConnection")
class DocumentConnection(relay.Connection[Document]):
    total_count: int


@strawberry.input
class UploadDocumentInput:
    collection_name: str
    name: str
    metadata: JSON | None = None
    file: Upload | None = strawberry.field(default=None, description="A multipart upload.")
    url: str | None = strawberry.field(default=None, description="An http(s) URL to fetch.")
    base64: str | None = strawberry.field(default=None, description="The file, base64-encoded.")
    wait: bool = strawberry.field(default=False, description="Return once READY or FAILED.")
    overwrite: bool = strawberry.field(default=False, description="Replace a same-named document.")


@strawberry.input
class UpdateDocumentInput:
    collection_name: str
    name: str
    new_name: str | None = None
    metadata: JSON | None = None
    new_collection_name: str | None = None
