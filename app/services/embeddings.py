"""Raw embeddings of queries and images, exactly as search embeds them."""

from __future__ import annotations

import asyncio

from app.embeddings.base import Embedder
from app.errors import bad_input
from app.ingest.render import Renderer
from app.services.names import check_text_fields
from app.settings import settings
from gpu.wire import MultiVector


def check_batch(queries: list[str] | None, images: int | None) -> int:
    """How many items a request embeds, or BAD_USER_INPUT: exactly one kind, 1 to the cap."""
    if (queries is None) == (images is None):
        raise bad_input("Give exactly one of `queries` or `images`.")
    count = len(queries) if queries is not None else images or 0
    if not 1 <= count <= settings.embed_max_batch:
        raise bad_input(
            f"Embed 1 to {settings.embed_max_batch} items at a time "
            f"(PALIAPI_EMBED_MAX_BATCH), got {count}."
        )
    for i, query in enumerate(queries or []):
        check_text_fields(**{f"queries[{i}]": query})
        if not query.strip():
            raise bad_input(f"`queries[{i}]` is empty.")
    return count


async def embed_queries(embedder: Embedder, queries: list[str]) -> list[MultiVector]:
    # The same call (and cache) as a text search: the vectors are the ones search scores with.
    return await embedder.embed_queries(queries)


async def embed_images(
    embedder: Embedder, renderer: Renderer, images: list[bytes]
) -> list[MultiVector]:
    # Each is prepared in the renderer's process pool: all at once.
    prepared = await asyncio.gather(*(renderer.query_image(image) for image in images))
    return await embedder.embed_images(list(prepared))
