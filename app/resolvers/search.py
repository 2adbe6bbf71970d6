"""The search resolver."""

from __future__ import annotations

from typing import cast

from strawberry.types import Info

from app import rate_limits
from app.errors import bad_input
from app.schema.search import SearchInput, SearchResponse, SearchResult
from app.services import search as service
from app.services.names import decode_base64
from app.services.uploads import UploadedFile


async def search(info: Info, input: SearchInput) -> SearchResponse:
    context = info.context
    await rate_limits.take(context.db, context.owner, rate_limits.search_bucket())
    image = (
        None
        if input.image_base64 is None
        else decode_base64(input.image_base64, field="imageBase64")
    )
    if input.image is not None:
        upload = cast("UploadedFile", input.image)
        try:
            if image is not None:
                raise bad_input("Send the query image once: `image` or `imageBase64`, not both.")
            image = await upload.read()
        finally:
            await upload.close()
    request = service.SearchRequest(
        query=input.query,
        image=image,
        collection_name=input.collection_name,
        collection_filter=input.collection_filter,
        document_filter=input.document_filter,
        top_k=input.top_k,
        mode=service.SearchMode(input.mode),
        exact=input.exact,
    )
    outcome = await service.search(
        db=context.db,
        embedder=context.embedder,
        renderer=context.renderer,
        owner=context.owner,
        request=request,
    )
    # Warm the loaders in one batch each (pages, then documents, then collections).
    pages = await context.loaders.page.load_many([page_id for page_id, _ in outcome.hits])
    documents = await context.loaders.document.load_many(
        [p.document_id for p in pages if p is not None]
    )
    await context.loaders.collection.load_many(
        [d.collection_id for d in documents if d is not None]
    )
    return SearchResponse(
        query=input.query,
        results=[
            SearchResult(
                rank=rank, score=score, page_id=page_id, query=input.query, mode=request.mode
            )
            for rank, (page_id, score) in enumerate(outcome.hits, start=1)
        ],
        took_ms=outcome.took_ms,
    )
