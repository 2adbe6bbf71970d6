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
from app.page_urls import thumbnail_width
from app.schema.descriptions import (
    AFTER,
    COLLECTION_NAME,
    FIRST,
    METADATA,
    TOTAL_COUNT,
    describe_values,
)
from app.schema.pagination import to_connection
from app.schema.users import parse_ids, rows_to_nodes
from app.services import documents as document_service
from app.settings import settings

if TYPE_CHECKING:
    from app.schema.collections import Collection

DocumentStatus = describe_values(
    strawberry.enum(
        models.DocumentStatus,
        name="DocumentStatus",
        description="Where a document is in ingestion: PENDING, PROCESSING, then READY or FAILED.",
    ),
    PENDING="Stored and queued, waiting for a worker.",
    PROCESSING="Being rendered into pages and embedded; `progress` tells how far.",
    READY="Every page is rendered and embedded: the document is searchable.",
    FAILED="Ingestion failed; `error` says why, and `retryDocument` queues it again.",
)


def public_url(path: str) -> str:
    """`path` under PALIAPI_PUBLIC_URL, or as it is (relative) when that is unset.

    Never built from the request's Host header: a forged Host would send the client, and the
    bearer token it attaches, to another server.
    """
    base = settings.public_url
    return f"{base.rstrip('/')}{path}" if base else path


@strawberry.type(
    name="Page",
    description="One page of a document, rendered as an image; search results point at pages.",
)
class Page(relay.Node):
    id: relay.NodeID[int]
    number: int = strawberry.field(description="1-based page number.")
    width: int = strawberry.field(description="Width of the page image, in pixels.")
    height: int = strawberry.field(description="Height of the page image, in pixels.")
    text: str | None = strawberry.field(
        description=(
            "The page's text layer, as extracted from a PDF (TEXT and HYBRID searches match "
            "it); null for images and pages without one."
        )
    )
    document_id: strawberry.Private[int]
    owner_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.Page) -> Self:
        return cls(
            id=row.id,  # type: ignore[arg-type]
            number=row.number,
            width=row.width,
            height=row.height,
            text=row.text,
            document_id=row.document_id,
            owner_id=row.owner_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        rows = await info.context.loaders.page.load_many(parse_ids(node_ids))
        return rows_to_nodes(cls, rows)

    @strawberry.field(  # type: ignore[untyped-decorator]
        description=(
            "A signed link to the page image that a browser loads as `<img src>` with no "
            "header, valid for at least an hour (PALIAPI_IMAGE_URL_TTL_S), under "
            "PALIAPI_PUBLIC_URL (relative when unset). Links to one image are the same "
            "string for a while, so caches hit. An expired or altered link answers 403: "
            "query this field again."
        )
    )
    def image_url(
        self,
        info: Info,
        width: Annotated[
            int | None,
            strawberry.argument(
                description=(
                    "A thumbnail width in pixels, for result grids: rounded up to the next of "
                    "160, 320, 640 and 1280 (WebP); above 1280, or omitted, the full page "
                    "image; 0 or less is BAD_USER_INPUT. Never wider than the page itself."
                )
            ),
        ] = None,
    ) -> str:
        link = info.context.page_urls.path(self.owner_id, self.id, thumbnail_width(width))
        return public_url(link)

    @strawberry.field(description="The page image, base64-encoded (prefer `imageUrl`).")  # type: ignore[untyped-decorator]
    async def image_base64(self, info: Info) -> str | None:
        image = await info.context.loaders.page_image.load(self.id)
        return base64.b64encode(image).decode() if image is not None else None

    @strawberry.field(description="The document this page belongs to.")  # type: ignore[untyped-decorator]
    async def document(
        self, info: Info
    ) -> Annotated[Document, strawberry.lazy("app.schema.documents")]:
        row = await info.context.loaders.document.load(self.document_id)
        if row is None:
            raise not_found("Document", str(self.document_id))
        return Document.from_model(row)


@strawberry.type(
    name="PageConnection", description="A slice of a document's pages (a Relay connection)."
)
class PageConnection(relay.Connection[Page]):
    total_count: int = strawberry.field(description=TOTAL_COUNT)


@strawberry.type(
    name="Document",
    description=(
        "An uploaded file (a PDF, an image, an Office or text document, or a web page) in a "
        "collection; ingestion renders it into pages and embeds them."
    ),
)
class Document(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(
        description="Its name, unique within its collection (1 to 300 characters)."
    )
    metadata: JSON = strawberry.field(description=METADATA)
    status: DocumentStatus = strawberry.field(  # type: ignore[valid-type]
        description="Where it is in ingestion; only READY documents are searched."
    )
    progress: float = strawberry.field(
        description="Ingestion progress from 0 to 1 (1 once READY); reset to 0 by a retry."
    )
    error: str | None = strawberry.field(
        description="Why ingestion failed, and what to do about it; null unless FAILED."
    )
    mime_type: str | None = strawberry.field(
        description=(
            "The file's media type, judged by its bytes: e.g. `application/pdf`, `image/png`, "
            "`text/html`, or the Office type of a DOCX."
        )
    )
    page_count: int = strawberry.field(
        description="How many pages it has: 0 until rendered, and 0 once FAILED."
    )
    size_bytes: int | None = strawberry.field(description="The uploaded file's size, in bytes.")
    content_sha256: str | None = strawberry.field(
        description="The SHA-256 of the uploaded file, in hex."
    )
    source_url: str | None = strawberry.field(
        description="The URL it was fetched from; null unless uploaded with `url`."
    )
    created_at: datetime = strawberry.field(description="When it was uploaded.")
    updated_at: datetime = strawberry.field(
        description="When it last changed (status, progress, name, metadata or collection)."
    )
    collection_id: strawberry.Private[int]
    owner_id: strawberry.Private[int]

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
            owner_id=row.owner_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        rows = await info.context.loaders.document.load_many(parse_ids(node_ids))
        return rows_to_nodes(cls, rows)

    @strawberry.field(description="The collection it belongs to.")  # type: ignore[untyped-decorator]
    async def collection(
        self, info: Info
    ) -> Annotated[Collection, strawberry.lazy("app.schema.collections")]:
        from app.schema.collections import Collection

        row = await info.context.loaders.collection.load(self.collection_id)
        if row is None:
            raise not_found("Collection", str(self.collection_id))
        return Collection.from_model(row)

    @strawberry.field(description="Its pages, in order; empty until READY.")  # type: ignore[untyped-decorator]
    async def pages(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> PageConnection:
        async with info.context.db.session() as session:
            page = await document_service.list_pages(
                session=session,
                owner_id=self.owner_id,
                document_id=self.id,
                first=first,
                after=after,
            )
        return to_connection(PageConnection, page, Page.from_model)


@strawberry.type(
    name="DocumentConnection", description="A slice of your documents (a Relay connection)."
)
class DocumentConnection(relay.Connection[Document]):
    total_count: int = strawberry.field(description=TOTAL_COUNT)


@strawberry.input(
    description=(
        "A document to upload: a PDF; a PNG, JPEG, WebP, TIFF, GIF or BMP image; an Office, "
        "OpenDocument, RTF, EPUB, XPS, CBZ, FB2, SVG, Markdown or plain-text file (converted "
        "to pages by the worker); or an HTML page (a `url` answering `text/html` is rendered "
        "as a browser shows it). Types are judged by the bytes; others are "
        "UNSUPPORTED_MEDIA_TYPE. At most 100 MiB by default "
        "(PALIAPI_MAX_UPLOAD_MB; larger is PAYLOAD_TOO_LARGE). Give exactly one of `file`, "
        "`url` or `base64`, else BAD_USER_INPUT."
    )
)
class UploadDocumentInput:
    collection_name: str = strawberry.field(
        description=f"The collection to add it to. {COLLECTION_NAME}"
    )
    name: str = strawberry.field(
        description=(
            "Its name: 1 to 300 characters, no leading or trailing spaces, no control "
            "characters. A name in use is a CONFLICT unless `overwrite` is true."
        )
    )
    metadata: JSON | None = strawberry.field(
        default=None, description=f"{METADATA} Default `{{}}`."
    )
    file: Upload | None = strawberry.field(
        default=None,
        description=(
            "The file, as a multipart upload (the request needs a non-simple header such as "
            "`Apollo-Require-Preflight: true`)."
        ),
    )
    url: str | None = strawberry.field(
        default=None,
        description=(
            "An http(s) URL for the server to fetch the file from: public hosts on ports 80 and "
            "443 by default, within 30 s (PALIAPI_URL_TIMEOUT_S); a refused or failed fetch is "
            "BAD_USER_INPUT."
        ),
    )
    base64: str | None = strawberry.field(
        default=None, description="The file, base64-encoded (strict: no stray characters)."
    )
    wait: bool = strawberry.field(
        default=False,
        description=(
            "true: answer once the document is READY or FAILED, or as it is after "
            "PALIAPI_WAIT_TIMEOUT_S (600 s by default); false: answer at once, PENDING."
        ),
    )
    overwrite: bool = strawberry.field(
        default=False,
        description=(
            "true: replace a document of the same name in the collection (its webhooks get "
            "`document.deleted` for the old one)."
        ),
    )


@strawberry.input(description="Changes to a document; omitted fields stay as they are.")
class UpdateDocumentInput:
    collection_name: str = strawberry.field(
        description=f"The collection the document is in now. {COLLECTION_NAME}"
    )
    name: str = strawberry.field(description="The document to change, by its current name.")
    new_name: str | None = strawberry.field(
        default=None,
        description="Rename it (same rules as at upload); a name in use is a CONFLICT.",
    )
    metadata: JSON | None = strawberry.field(
        default=None, description=f"Replaces the metadata whole (no merge). {METADATA}"
    )
    new_collection_name: str | None = strawberry.field(
        default=None,
        description=(
            "Move it to this collection of yours; one embedded with another model is "
            "BAD_USER_INPUT, a same-named document there a CONFLICT."
        ),
    )
