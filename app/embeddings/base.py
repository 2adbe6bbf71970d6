"""What every embedding backend provides."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from gpu.wire import MultiVector


class Embedder(Protocol):
    """Turns page images (encoded bytes) and text queries into float16 (tokens, dim) arrays."""

    model_name: str
    dim: int

    async def embed_images(self, images: Sequence[bytes]) -> list[MultiVector]: ...

    async def embed_queries(self, queries: Sequence[str]) -> list[MultiVector]: ...

    async def aclose(self) -> None: ...
