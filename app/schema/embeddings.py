"""Raw embeddings: the model's multi-vectors, for clients that keep their own vector store."""

from __future__ import annotations

import base64

import strawberry
from strawberry.file_uploads import Upload

from gpu.wire import MultiVector as Vectors


@strawberry.input(
    description=(
        "What to embed: exactly one of `queries` or `images`, with 1 to 16 items by default "
        "(PALIAPI_EMBED_MAX_BATCH); anything else is BAD_USER_INPUT."
    )
)
class EmbedInput:
    queries: list[str] | None = strawberry.field(
        default=None,
        description="Text queries, embedded as `search` embeds a text query (same vectors).",
    )
    images: list[Upload] | None = strawberry.field(
        default=None,
        description=(
            "Images (multipart uploads), prepared and embedded as `search` embeds an image "
            "query, which is how page images are embedded too."
        ),
    )


@strawberry.type(
    description=(
        "One input's multi-vector: `tokens` vectors of `dim` numbers, as little-endian float16, "
        "row-major (token after token), base64-encoded. Score a page by MaxSim: for each query "
        "vector, its best dot product over the page's vectors, summed."
    )
)
class MultiVector:
    tokens: int = strawberry.field(description="How many vectors (rows).")
    dim: int = strawberry.field(description="The length of each vector (columns).")
    dtype: str = strawberry.field(description='The number format: always "float16".')
    base64: str = strawberry.field(
        description="tokens x dim little-endian float16 numbers, row-major, base64-encoded."
    )

    @classmethod
    def from_array(cls, vectors: Vectors) -> MultiVector:
        tokens, dim = vectors.shape
        data = vectors.astype("<f2", copy=False).tobytes(order="C")
        return cls(tokens=tokens, dim=dim, dtype="float16", base64=base64.b64encode(data).decode())
