"""The `local` backend: the engine in this process (a workstation GPU, or the CPU).

Needs the `local` extra (torch, colpali-engine). The model loads in the background when the
process starts (`warm_up`), or at the first embedding, so the API serves everything else
without it; a failed load is tried again at the next embedding.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from app.embeddings.base import Health, PageAndQueryEmbedder, QueryEmbedding
from app.errors import ErrorCode, PaliError
from gpu.wire import MultiVector, PatchGrid

if TYPE_CHECKING:
    from gpu.engine import Engine, EngineOptions

log = logging.getLogger(__name__)
T = TypeVar("T")


def load_failure(model: str, reason: str) -> str:
    """Why the model did not load, and every way out a user has."""
    cache = os.environ.get("HF_HOME", "~/.cache/huggingface")
    return (
        f"Could not load the embedding model {model!r}: {reason}. Ways out: let this machine "
        f"reach the Hugging Face Hub once (weights are cached in {cache}); or set "
        "EMBEDDINGS_MODEL to a local checkpoint directory; or set HF_HUB_OFFLINE=1 to load "
        "from the cache only; or use another backend (EMBEDDINGS_BACKEND=http with "
        "EMBEDDINGS_URL, or EMBEDDINGS_BACKEND=modal)."
    )


class LocalEmbedder(PageAndQueryEmbedder):
    def __init__(self, model_name: str, options: EngineOptions) -> None:
        self.model_name = model_name
        self.dim = 128
        self.options = options
        self.health = Health()
        self.concurrency = 1
        self._engine: Engine | None = None
        self._loading = asyncio.Lock()

    async def engine(self) -> Engine:
        async with self._loading:
            if self._engine is None:
                self.health.state = "loading"
                try:
                    self._engine = await asyncio.to_thread(self._load)
                except PaliError as error:
                    self.health.failed(error.message)
                    raise
                self.dim = self._engine.dim
                self.health.state, self.health.reason = "ready", None
            return self._engine

    def _load(self) -> Engine:
        try:
            from gpu.engine import Engine
        except ImportError as exc:
            raise PaliError(
                ErrorCode.EMBEDDINGS_UNAVAILABLE,
                "The local embedding backend needs the `local` extra "
                "(pip install 'paliapi[local]', which `make serve` installs), "
                "or set EMBEDDINGS_BACKEND=http|modal.",
            ) from exc
        try:
            return Engine(self.model_name, self.options)
        except Exception as exc:  # a hub, file or config problem: the reason goes to the user
            log.warning("loading %s failed: %s", self.model_name, exc)
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:400].rstrip(".")
            raise PaliError(
                ErrorCode.EMBEDDINGS_UNAVAILABLE, load_failure(self.model_name, reason)
            ) from exc

    async def warm_up(self) -> None:
        try:
            await self.engine()
        except PaliError as error:
            log.warning("%s", error.message)

    async def _run(self, work: Callable[[], T]) -> T:
        """`work` in a thread; the engine's forward passes take turns (queries first)."""
        try:
            return await asyncio.to_thread(work)
        except (MemoryError, RuntimeError) as exc:
            # torch.OutOfMemoryError is a RuntimeError; other RuntimeErrors are bugs.
            if not isinstance(exc, MemoryError) and type(exc).__name__ != "OutOfMemoryError":
                raise
            raise PaliError(
                ErrorCode.EMBEDDINGS_UNAVAILABLE,
                f"The embedding model ran out of memory on {self.options.device}; lower "
                "EMBEDDINGS_TOKEN_BUDGET or PALIAPI_EMBED_BATCH_PAGES, then retry.",
            ) from exc

    async def embed_pages(
        self, images: Sequence[bytes]
    ) -> tuple[list[MultiVector], list[PatchGrid | None]]:
        engine = await self.engine()
        return await self._run(lambda: engine.embed_pages(images))

    async def embed_query_tokens(self, queries: Sequence[str]) -> list[QueryEmbedding]:
        engine = await self.engine()
        vectors, tokens = await self._run(lambda: engine.embed_queries_with_tokens(queries))
        return [QueryEmbedding(v, t) for v, t in zip(vectors, tokens, strict=True)]

    async def aclose(self) -> None:
        self._engine = None
