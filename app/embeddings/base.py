"""What every embedding backend provides, and how it reports its health."""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar

from safetensors import SafetensorError

from app.errors import ErrorCode, PaliError
from gpu import wire
from gpu.wire import MultiVector, PatchGrid

T = TypeVar("T")
State = Literal["idle", "loading", "ready", "unavailable"]


@dataclass
class Health:
    """What an embedder last showed: idle (nothing tried yet), loading, ready, or unavailable."""

    state: State = "idle"
    reason: str | None = None

    def describe(self) -> str:
        """The `/healthz` form: `ready`, or `unavailable: <reason>`."""
        return f"unavailable: {self.reason}" if self.state == "unavailable" else self.state

    def failed(self, reason: str) -> None:
        self.state, self.reason = "unavailable", reason

    async def track(self, call: Awaitable[T]) -> T:
        """Await an embedding call, recording whether the service answered."""
        try:
            result = await call
        except PaliError as error:
            if error.code is ErrorCode.EMBEDDINGS_UNAVAILABLE:
                self.failed(error.message)
            raise
        self.state, self.reason = "ready", None
        return result


class RequestSlots:
    """A remote service's request limit, kept apart for page batches and for queries: a
    search never queues behind an ingest's batches here (and the service runs queries
    first, gpu/turns.py)."""

    def __init__(self, limit: int) -> None:
        self.pages = asyncio.Semaphore(limit)
        self.queries = asyncio.Semaphore(limit)


@dataclass(frozen=True)
class QueryEmbedding:
    """A query's vectors and its tokens as the model saw them (one string per vector);
    `tokens` is None when a remote service did not send them (an older one)."""

    vectors: MultiVector
    tokens: list[str] | None


class PageAndQueryEmbedder(ABC):
    """The two plain calls, derived from the two that also report patch grids and tokens:
    a backend implements those (and the rest of `Embedder`) once."""

    @abstractmethod
    async def embed_pages(
        self, images: Sequence[bytes]
    ) -> tuple[list[MultiVector], list[PatchGrid | None]]: ...

    @abstractmethod
    async def embed_query_tokens(self, queries: Sequence[str]) -> list[QueryEmbedding]: ...

    async def embed_images(self, images: Sequence[bytes]) -> list[MultiVector]:
        return (await self.embed_pages(images))[0]

    async def embed_queries(self, queries: Sequence[str]) -> list[MultiVector]:
        return [q.vectors for q in await self.embed_query_tokens(queries)]


class Embedder(Protocol):
    """Turns page images (encoded bytes) and text queries into float16 (tokens, dim) arrays."""

    @property
    def model_name(self) -> str:
        """The model that embeds; for a remote service, the one it last reported."""
        ...

    @property
    def dim(self) -> int: ...

    @property
    def health(self) -> Health: ...

    @property
    def concurrency(self) -> int:
        """How many calls it serves at once: a remote service's request limit; 1 in process,
        where one forward pass runs at a time and a second call would only wait."""
        ...

    async def embed_images(self, images: Sequence[bytes]) -> list[MultiVector]: ...

    async def embed_queries(self, queries: Sequence[str]) -> list[MultiVector]: ...

    async def embed_pages(
        self, images: Sequence[bytes]
    ) -> tuple[list[MultiVector], list[PatchGrid | None]]:
        """`embed_images`, with each page's patch grid (None where the model has none)."""
        ...

    async def embed_query_tokens(self, queries: Sequence[str]) -> list[QueryEmbedding]:
        """`embed_queries`, with each query's token strings."""
        ...

    async def warm_up(self) -> None:
        """Get ready ahead of the first call (load the model, reach the service); never raises."""
        ...

    async def aclose(self) -> None: ...


def reported_model(expected: str | None, reported: str | None, *, service: str) -> str | None:
    """The model a remote service says it runs, checked against EMBEDDINGS_MODEL when set.

    Vectors of two models are not comparable: a mismatch stops the call before anything
    is stored or scored with them.
    """
    if expected and reported and reported != expected:
        raise PaliError(
            ErrorCode.EMBEDDINGS_UNAVAILABLE,
            f"The embedding service ({service}) runs {reported!r}, but EMBEDDINGS_MODEL is "
            f"{expected!r}. Point the service at {expected!r}, or set EMBEDDINGS_MODEL to "
            f"{reported!r} (collections already embedded with {expected!r} then stop matching).",
        )
    return reported


def decode_checked(
    payload: bytes, *, adopt: Callable[[str | None], None], service: str
) -> tuple[list[MultiVector], dict[str, str]]:
    """Vectors from a remote answer, once the model it says produced them is accepted, and
    the answer's metadata (`grids` of pages, `tokens` of queries: see gpu/wire.py)."""
    try:
        metadata = wire.metadata(payload)
        adopt(metadata.get("model"))
        return wire.decode(payload), metadata
    except (ValueError, SafetensorError) as exc:
        raise PaliError(
            ErrorCode.EMBEDDINGS_UNAVAILABLE,
            f"The embedding service ({service}) answered with something that is not "
            f"vectors ({exc}).",
        ) from exc
