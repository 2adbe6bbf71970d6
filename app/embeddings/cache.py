"""An LRU cache of query embeddings in front of any embedder (queries repeat; pages do not)."""

from __future__ import annotations

from collections.abc import Sequence

from cachetools import LRUCache

from app.embeddings.base import Embedder, Health, QueryEmbedding
from app.metrics import QUERY_CACHE_LOOKUPS, embedder_call
from gpu.wire import MultiVector, PatchGrid


class CachedEmbedder:
    def __init__(self, inner: Embedder, *, size: int) -> None:
        self.inner = inner
        self._cache: LRUCache[tuple[str, str], QueryEmbedding] = LRUCache(maxsize=size)
        self.hits = 0
        self.misses = 0

    # A remote service tells its model with every answer: always read it from the backend.
    @property
    def model_name(self) -> str:
        return self.inner.model_name

    @property
    def dim(self) -> int:
        return self.inner.dim

    @property
    def health(self) -> Health:
        return self.inner.health

    @property
    def concurrency(self) -> int:
        return self.inner.concurrency

    async def warm_up(self) -> None:
        await self.inner.warm_up()

    async def embed_images(self, images: Sequence[bytes]) -> list[MultiVector]:
        with embedder_call("images"):
            return await self.inner.embed_images(images)

    async def embed_pages(
        self, images: Sequence[bytes]
    ) -> tuple[list[MultiVector], list[PatchGrid | None]]:
        with embedder_call("images"):
            return await self.inner.embed_pages(images)

    async def embed_queries(self, queries: Sequence[str]) -> list[MultiVector]:
        return [q.vectors for q in await self.embed_query_tokens(queries)]

    async def embed_query_tokens(self, queries: Sequence[str]) -> list[QueryEmbedding]:
        """Queries' vectors and tokens, from the cache where a query was embedded before (a
        similarity map re-reads the query its search just embedded, at no model cost)."""
        keys = [(self.model_name, query) for query in queries]
        found = {key: self._cache[key] for key in keys if key in self._cache}
        missing = [key for key in dict.fromkeys(keys) if key not in found]
        # A miss is a query the model has to embed; a repeat within one call is a hit.
        self.misses += len(missing)
        self.hits += len(keys) - len(missing)
        QUERY_CACHE_LOOKUPS.labels("miss").inc(len(missing))
        QUERY_CACHE_LOOKUPS.labels("hit").inc(len(keys) - len(missing))
        if missing:
            with embedder_call("queries"):
                fresh = await self.inner.embed_query_tokens([text for _, text in missing])
            for key, embedding in zip(missing, fresh, strict=True):
                embedding.vectors.setflags(write=False)  # shared between callers: never mutated
                self._cache[key] = found[key] = embedding
        return [found[key] for key in keys]

    @property
    def cache_size(self) -> int:
        return len(self._cache)

    @property
    def hit_rate(self) -> float:
        total = self.hits + self.misses
        return self.hits / total if total else 0.0

    async def aclose(self) -> None:
        await self.inner.aclose()
