"""Search types: the input, modes, and results resolved through the request's DataLoaders."""

from __future__ import annotations

import strawberry
from strawberry.file_uploads import Upload
from strawberry.scalars import JSON
from strawberry.types import Info

from app.db import models
from app.errors import not_found
from app.schema.collections import Collection
from app.schema.documents import Document, Page
from app.services.search import SearchMode as SearchModeEnum

SearchMode = strawberry.enum(SearchModeEnum, name="SearchMode")


@strawberry.input
class SearchInput:
    query: str | None = strawberry.field(default=None, description="A text query.")
    image: Upload | None = strawberry.field(default=None, description="An image query (multipart).")
    image_base64: str | None = strawberry.field(default=None, description="An image query, base64.")
    collection_name: str | None = strawberry.field(
        default=None, description="Search one collection; none: all of yours."
    )
    collection_filter: JSON | None = strawberry.field(
        default=None, description="On collections' metadata."
    )
    document_filter: JSON | None = strawberry.field(
        default=None, description="On documents' metadata."
    )
    top_k: int = 3
    mode: SearchMode = SearchModeEnum.VISUAL  # type: ignore[valid-type]
    exact: bool = strawberry.field(
        default=False, description="Exhaustive exact MaxSim (for evals)."
    )


@strawberry.type
class SearchResult:
    rank: int
    score: float
    page_id: strawberry.Private[int]

    async def _page(self, info: Info) -> models.Page:
        row = await info.context.loaders.page.load(self.page_id)
        if row is None:
            raise not_found("Page", str(self.page_id))
        return row  # type: ignore[no-any-return]

    async def _document(self, info: Info) -> models.Document:
        page = await self._page(info)
        row = await info.context.loaders.document.load(page.document_id)
        if row is None:
            raise not_found("Document", str(page.document_id))
        return row  # type: ignore[no-any-return]

    @strawberry.field
    async def page(self, info: Info) -> Page:
        return Page.from_model(await self._page(info))

    @strawberry.field
    async def document(self, info: Info) -> Document:
        return Document.from_model(await self._document(info))

    @strawberry.field
    async def collection(self, info: Info) -> Collection:
        document = await self._document(info)
        row = await info.context.loaders.collection.load(document.collection_id)
        if row is None:
            raise not_found("Collection", str(document.collection_id))
        return Collection.from_model(row)


@strawberry.type
class SearchResponse:
    query: str | None
    results: list[SearchResult]
    took_ms: float = strawberry.field(description="Search time, query embedding excluded.")
