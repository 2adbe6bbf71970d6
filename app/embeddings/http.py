"""The `http` backend: the embedding service (gpu/server.py, or its Modal web endpoint)."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Sequence
from typing import Any

import httpx

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

log = logging.getLogger(__name__)
RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}


def _error_text(response: httpx.Response) -> str:
    """The service's own words: `{"error": ...}` from gpu.server, else a bounded body."""
    try:
        body = response.json()
    except ValueError:
        return " ".join(response.text.split())[:300] or f"HTTP {response.status_code}"
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return str(body["error"])
    return " ".join(response.text.split())[:300]


class HttpEmbedder(PageAndQueryEmbedder):
    def __init__(
        self,
        url: str,
        *,
        model_name: str,
        expected_model: str | None = None,
        token: str | None = None,
        timeout: float = 60.0,
        attempts: int = 4,
        concurrency: int = 4,
        initial_wait: float = 0.2,
    ) -> None:
        # `model_name` is a first guess; every answer of the service then says what it runs.
        self.model_name = model_name
        self.expected_model = expected_model
        self.dim = 128
        self.health = Health()
        self.url = url.rstrip("/")
        self.attempts = attempts
        self.initial_wait = initial_wait
        self.concurrency = concurrency
        self._slots = RequestSlots(concurrency)
        self._client = httpx.AsyncClient(
            base_url=self.url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            headers={"Authorization": f"Bearer {token}"} if token else {},
        )

    def _adopt(self, reported: str | None) -> None:
        model = reported_model(self.expected_model, reported, service=self.url)
        if model:
            self.model_name = model

    async def describe(self) -> dict[str, Any]:
        """The service's `/health`: its model, device and dtype (loads nothing)."""
        try:
            response = await self._client.get("/health")
        except httpx.TransportError as exc:
            raise PaliError(
                ErrorCode.EMBEDDINGS_UNAVAILABLE,
                f"The embedding service at {self.url} is unreachable ({type(exc).__name__}: "
                f"{exc}); check EMBEDDINGS_URL and that the service is running.",
            ) from exc
        if response.status_code != 200:
            raise PaliError(
                ErrorCode.EMBEDDINGS_UNAVAILABLE,
                f"The embedding service at {self.url} answered /health with HTTP "
                f"{response.status_code}: {_error_text(response)}",
            )
        info: dict[str, Any] = response.json()
        self._adopt(info.get("model"))
        if isinstance(info.get("dim"), int):
            self.dim = int(info["dim"])
        return info

    async def warm_up(self) -> None:
        """Reach the service, retrying with backoff: it may start after the API (compose)."""
        for attempt in itertools.count():
            try:
                await self.health.track(self.describe())
                return
            except PaliError as error:
                if attempt == 0:
                    log.warning("%s (retrying in the background)", error.message)
            await asyncio.sleep(min(2.0**attempt, 30.0))

    async def embed_pages(
        self, images: Sequence[bytes]
    ) -> tuple[list[wire.MultiVector], list[wire.PatchGrid | None]]:
        files = [
            ("images", (f"{i}.img", data, "application/octet-stream"))
            for i, data in enumerate(images)
        ]
        vectors, metadata = await self.health.track(
            self._post("/embed/images", self._slots.pages, files=files)
        )
        return vectors, wire.decode_grids(metadata, len(vectors))

    async def embed_query_tokens(self, queries: Sequence[str]) -> list[QueryEmbedding]:
        vectors, metadata = await self.health.track(
            self._post("/embed/queries", self._slots.queries, json={"queries": list(queries)})
        )
        tokens = wire.decode_tokens(metadata, len(vectors))
        return [QueryEmbedding(v, t) for v, t in zip(vectors, tokens, strict=True)]

    async def _post(
        self, path: str, slots: asyncio.Semaphore, **request: Any
    ) -> tuple[list[wire.MultiVector], dict[str, str]]:
        async def once() -> bytes:
            try:
                response = await self._client.post(path, **request)
            except httpx.TransportError as exc:  # refused, reset, timed out
                raise TransientError(f"{type(exc).__name__}: {exc}") from exc
            if response.status_code in RETRY_STATUSES:
                raise TransientError(f"HTTP {response.status_code}: {_error_text(response)}")
            if response.status_code == 401:
                raise PaliError(
                    ErrorCode.EMBEDDINGS_UNAVAILABLE,
                    "The embedding service rejected the token: check EMBEDDINGS_URL_TOKEN.",
                )
            if response.status_code == 400:
                raise PaliError(ErrorCode.BAD_USER_INPUT, _error_text(response))
            if response.status_code != 200:
                raise PaliError(
                    ErrorCode.EMBEDDINGS_UNAVAILABLE,
                    f"The embedding service answered HTTP {response.status_code}: "
                    f"{_error_text(response)}",
                )
            return response.content

        async with slots:
            payload = await with_retries(
                once, attempts=self.attempts, service=self.url, initial_wait=self.initial_wait
            )
        return decode_checked(payload, adopt=self._adopt, service=self.url)

    async def aclose(self) -> None:
        await self._client.aclose()
