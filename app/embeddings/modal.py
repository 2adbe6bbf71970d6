"""The `modal` backend: the deployed Modal class (`gpu/modal_app.py`), called asynchronously."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from app.embeddings.base import (
    Health,
    PageAndQueryEmbedder,
    QueryEmbedding,
    RequestSlots,
    decode_checked,
    reported_model,
)
from app.embeddings.retry import TransientError, with_retries
from app.errors import ErrorCode, PaliError
from gpu import wire

CLASS_NAME = "Embedder"


class ModalEmbedder(PageAndQueryEmbedder):
    def __init__(
        self,
        app_name: str,
        *,
        model_name: str,
        expected_model: str | None = None,
        timeout: float = 120.0,
        attempts: int = 4,
        concurrency: int = 4,
    ) -> None:
        self.app_name = app_name
        # A first guess; the deployed class names its model in every answer.
        self.model_name = model_name
        self.expected_model = expected_model
        self.dim = 128
        self.health = Health()
        self.timeout = timeout
        self.attempts = attempts
        self.concurrency = concurrency
        self._slots = RequestSlots(concurrency)
        self._remote: Any = None

    def _instance(self) -> Any:
        if self._remote is None:
            try:
                import modal
            except ImportError as exc:
                raise PaliError(
                    ErrorCode.EMBEDDINGS_UNAVAILABLE,
                    "The modal backend needs the `modal` extra (pip install 'paliapi[modal]').",
                ) from exc
            self._remote = modal.Cls.from_name(self.app_name, CLASS_NAME)()
        return self._remote

    def _adopt(self, reported: str | None) -> None:
        model = reported_model(self.expected_model, reported, service=f"modal:{self.app_name}")
        if model:
            self.model_name = model

    async def warm_up(self) -> None:
        """Nothing ahead of time: a call would start a GPU container, which costs money."""

    async def embed_pages(
        self, images: Sequence[bytes]
    ) -> tuple[list[wire.MultiVector], list[wire.PatchGrid | None]]:
        vectors, metadata = await self.health.track(
            self._call(
                lambda remote: remote.embed_images.remote.aio(list(images)), self._slots.pages
            )
        )
        return vectors, wire.decode_grids(metadata, len(vectors))

    async def embed_query_tokens(self, queries: Sequence[str]) -> list[QueryEmbedding]:
        vectors, metadata = await self.health.track(
            self._call(
                lambda remote: remote.embed_queries.remote.aio(list(queries)), self._slots.queries
            )
        )
        tokens = wire.decode_tokens(metadata, len(vectors))
        return [QueryEmbedding(v, t) for v, t in zip(vectors, tokens, strict=True)]

    async def _call(
        self, method: Callable[[Any], Awaitable[bytes]], slots: asyncio.Semaphore
    ) -> tuple[list[wire.MultiVector], dict[str, str]]:
        remote = self._instance()  # raises a clear error when the extra is missing
        import modal.exception

        async def once() -> bytes:
            try:
                return await asyncio.wait_for(method(remote), self.timeout)
            except (TimeoutError, ConnectionError, OSError, modal.exception.Error) as exc:
                if isinstance(exc, modal.exception.NotFoundError | modal.exception.AuthError):
                    raise PaliError(
                        ErrorCode.EMBEDDINGS_UNAVAILABLE,
                        f"Modal app {self.app_name!r} is not reachable ({exc}) Deploy it with "
                        "`modal deploy gpu/modal_app.py`; set MODAL_TOKEN_ID and "
                        "MODAL_TOKEN_SECRET for the API.",
                    ) from exc
                raise TransientError(f"{type(exc).__name__}: {exc}") from exc

        async with slots:
            payload = await with_retries(
                once, attempts=self.attempts, service=f"modal:{self.app_name}"
            )
        return decode_checked(payload, adopt=self._adopt, service=f"modal:{self.app_name}")

    async def aclose(self) -> None:
        self._remote = None
