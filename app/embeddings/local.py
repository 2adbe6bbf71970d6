"""The `local` backend: the engine in this process (a workstation GPU, or the CPU).

Needs the `local` extra (torch, colpali-engine). The model loads at the first embedding, so
the API starts and serves everything else without it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from app.errors import ErrorCode, PaliError
from gpu.wire import MultiVector

if TYPE_CHECKING:
    from gpu.engine import Engine, EngineOptions

T = TypeVar("T")


class LocalEmbedder:
    def __init__(self, model_name: str, options: EngineOptions) -> None:
        self.model_name = model_name
        self.dim = 128
        self.options = options
        self._engine: Engine | None = None
        self._loading = asyncio.Lock()
        self._running = threading.Lock()  # one forward pass at a time

    async def engine(self) -> Engine:
        async with self._loading:
            if self._engine is None:
                try:
                    from gpu.engine import Engine
                except ImportError as exc:
                    raise PaliError(
                        ErrorCode.EMBEDDINGS_UNAVAILABLE,
                        "The local embedding backend needs the `local` extra "
                        "(pip install 'paliapi[local]'), or set EMBEDDINGS_BACKEND=http|modal.",
                    ) from exc
                try:
                    self._engine = await asyncio.to_thread(Engine, self.model_name, self.options)
                except (OSError, ValueError, ImportError) as exc:
                    raise PaliError(
                        ErrorCode.EMBEDDINGS_UNAVAILABLE,
                        f"Could not load the embedding model {self.model_name!r}: {exc}",
                    ) from exc
                self.dim = self._engine.dim
            return self._engine

    async def _run(self, work: Callable[[], T]) -> T:
        def locked() -> T:
            with self._running:
                return work()

        return await asyncio.to_thread(locked)

    async def embed_images(self, images: Sequence[bytes]) -> list[MultiVector]:
        engine = await self.engine()
        return await self._run(lambda: engine.embed_images(images))

    async def embed_queries(self, queries: Sequence[str]) -> list[MultiVector]:
        engine = await self.engine()
        return await self._run(lambda: engine.embed_queries(queries))

    async def aclose(self) -> None:
        self._engine = None
