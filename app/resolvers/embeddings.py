"""The embed resolver: the model's raw multi-vectors for queries or images."""

from __future__ import annotations

from typing import cast

from strawberry.types import Info

from app import rate_limits
from app.schema.embeddings import EmbedInput, MultiVector
from app.services import embeddings as service
from app.services.uploads import UploadedFile


async def embed(info: Info, input: EmbedInput) -> list[MultiVector]:
    context = info.context
    uploads = [cast("UploadedFile", upload) for upload in input.images or []]
    try:
        items = service.check_batch(input.queries, None if input.images is None else len(uploads))
        # Counted as searches: one token per item, so a batch is no way around the limit.
        await rate_limits.take(context.db, context.owner, rate_limits.search_bucket(), items)
        if input.queries is not None:
            vectors = await service.embed_queries(context.embedder, input.queries)
        else:
            images = [await upload.read() for upload in uploads]
            vectors = await service.embed_images(context.embedder, context.renderer, images)
    finally:
        for upload in uploads:
            await upload.close()
    return [MultiVector.from_array(v) for v in vectors]
