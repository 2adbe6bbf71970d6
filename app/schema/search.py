"""Search types: the input, modes, and results resolved through the request's DataLoaders."""

from __future__ import annotations

import strawberry
from strawberry.file_uploads import Upload
from strawberry.scalars import JSON
from strawberry.types import Info

from app.db import models
from app.errors import not_found
from app.schema.collections import Collection
from app.schema.descriptions import FILTER, describe_values
from app.schema.documents import Document, Page
from app.services.search import SearchMode as SearchModeEnum
from app.services.similarity_maps import page_similarity_map

SearchMode = describe_values(
    strawberry.enum(SearchModeEnum, name="SearchMode", description="How a search matches pages."),
    VISUAL=(
        "Late interaction (MaxSim) between the query's multi-vector and each page image's: "
        "a text or an image query, no OCR needed."
    ),
    TEXT="Postgres full-text search (English) over the pages' extracted text; needs `query`.",
    HYBRID="VISUAL and TEXT fused by reciprocal rank; needs `query`.",
)


@strawberry.input(
    description=(
        "A search. VISUAL takes exactly one of `query`, `image` or `imageBase64`; TEXT and "
        "HYBRID need `query`. Anything else is BAD_USER_INPUT."
    )
)
class SearchInput:
    query: str | None = strawberry.field(default=None, description="A text query.")
    image: Upload | None = strawberry.field(
        default=None,
        description="An image query, as a multipart upload (not together with `imageBase64`).",
    )
    image_base64: str | None = strawberry.field(
        default=None, description="An image query, base64-encoded (strict: no stray characters)."
    )
    collection_name: str | None = strawberry.field(
        default=None,
        description=(
            "Search this collection only (NOT_FOUND if you have none by that name, CONFLICT if "
            "it is embedded with another model than the server's). Omitted: all of your "
            "collections that the server's model embedded."
        ),
    )
    collection_filter: JSON | None = strawberry.field(
        default=None, description=f"Search only collections whose metadata match. {FILTER}"
    )
    document_filter: JSON | None = strawberry.field(
        default=None, description=f"Search only documents whose metadata match. {FILTER}"
    )
    top_k: int = strawberry.field(
        default=3,
        description=(
            "How many results: 1 to 100 (PALIAPI_SEARCH_MAX_TOP_K), 3 by default; out of range "
            "is BAD_USER_INPUT."
        ),
    )
    mode: SearchMode = strawberry.field(  # type: ignore[valid-type]
        default=SearchModeEnum.VISUAL, description="How to match pages; VISUAL by default."
    )
    exact: bool = strawberry.field(
        default=False,
        description=(
            "true: score every page in scope by exact MaxSim, skipping the approximate first "
            "stage (for evaluations; slower). Over 10,000 pages in scope "
            "(PALIAPI_MAX_EXACT_CANDIDATES) is BAD_USER_INPUT, except for admins."
        ),
    )


@strawberry.type(
    description=(
        "Why a page matched a VISUAL text query: each query token's similarity to each image "
        "patch of the page (the interpretability maps of colpali-engine), to draw as a "
        "heatmap over the page image."
    )
)
class SimilarityMap:
    rows: int = strawberry.field(
        description="Rows of the page's patch grid, as the model saw the page (top to bottom)."
    )
    columns: int = strawberry.field(description="Columns of the page's patch grid (left to right).")
    tokens: list[str] = strawberry.field(
        description=(
            "The query's tokens as the model saw them, one per row of `values` (the model's "
            "own prefix and padding tokens included; they score too)."
        )
    )
    values: list[list[float]] = strawberry.field(
        description=(
            "tokens x (rows * columns): row t holds the dot product of query token t with "
            "every patch, row-major. A row's maximum is what that token adds to the MaxSim "
            "score, when its best match is an image patch."
        )
    )


@strawberry.type(description="One matching page, with its document and collection.")
class SearchResult:
    rank: int = strawberry.field(description="1-based position in the results, best first.")
    score: float = strawberry.field(
        description=(
            "Higher is better; comparable only within one search and mode. VISUAL: the MaxSim "
            "score; TEXT: the full-text rank; HYBRID: the reciprocal-rank-fusion score."
        )
    )
    page_id: strawberry.Private[int]
    # The search's text query and mode, for the similarity map (None: an image query).
    query: strawberry.Private[str | None] = None
    mode: strawberry.Private[SearchModeEnum] = SearchModeEnum.VISUAL

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

    @strawberry.field(description="The page that matched.")  # type: ignore[untyped-decorator]
    async def page(self, info: Info) -> Page:
        return Page.from_model(await self._page(info))

    @strawberry.field(description="The document of that page.")  # type: ignore[untyped-decorator]
    async def document(self, info: Info) -> Document:
        return Document.from_model(await self._document(info))

    @strawberry.field(  # type: ignore[untyped-decorator]
        description=(
            "Why this page matched, for a VISUAL search with a text `query`: computed from the "
            "stored vectors only when selected. Null for TEXT and HYBRID searches, image "
            "queries, and pages whose model gives no single patch grid (Idefics3-based models "
            "on tiled pages, pooled vectors, pages embedded before grids were stored)."
        )
    )
    async def similarity_map(self, info: Info) -> SimilarityMap | None:
        if self.mode is not SearchModeEnum.VISUAL or not (self.query or "").strip():
            return None
        patches = await info.context.loaders.page_patches.load(self.page_id)
        if patches is None or patches.grid is None:
            return None
        # The query its search just embedded: a cache hit, no second pass of the model.
        [query] = await info.context.embedder.embed_query_tokens([self.query])
        found = await page_similarity_map(query=query, patches=patches)
        if found is None:
            return None
        return SimilarityMap(
            rows=found.rows, columns=found.columns, tokens=found.tokens, values=found.values
        )

    @strawberry.field(description="The collection of that document.")  # type: ignore[untyped-decorator]
    async def collection(self, info: Info) -> Collection:
        document = await self._document(info)
        row = await info.context.loaders.collection.load(document.collection_id)
        if row is None:
            raise not_found("Collection", str(document.collection_id))
        return Collection.from_model(row)


@strawberry.type(description="The answer to a search.")
class SearchResponse:
    query: str | None = strawberry.field(
        description="The text query, as sent; null for an image query."
    )
    results: list[SearchResult] = strawberry.field(
        description="At most `topK` results, best first; empty when nothing in scope matches."
    )
    took_ms: float = strawberry.field(
        description="Search time in milliseconds, embedding the query excluded."
    )
