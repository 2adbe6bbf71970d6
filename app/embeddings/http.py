"""The `http` backend: the embedding service (gpu/server.py, or its Modal web endpoint)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import httpx

from app.embeddings.retry import TransientError, with_retries
from app.errors import ErrorCode, PaliError
from gpu import wire

RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}


class HttpEmbedder:
    def __init__(
        self,
        url: str,
        *,
        model_name: str,
        token: str | None = None,
        timeout: float = 60.0,
        attempts: int = 4,
        concurrency: int = 4,
        initial_wait: float = 0.2,
    ) -> None:
        self.model_name = model_name
        self.dim = 128
        self.url = url.rstrip("/")
        self.attempts = attempts
        self.initial_wait = initial_wait
        self._limit = asyncio.Semaphore(concurrency)
        self._client = httpx.AsyncClient(
            base_url=self.url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            headers={"Authorization": f"Bearer {token}"} if token else {},
        )

    async def embed_images(self, images: Sequence[bytes]) -> list[wire.MultiVector]:
        files = [
            ("images", (f"{i}.img", data, "application/octet-stream"))
            for i, data in enumerate(images)
        ]
        return await self._post("/embed/images", files=files)

    async def embed_queries(self, queries: Sequence[str]) -> list[wire.MultiVector]:
        return await self._post("/embed/queries", json={"queries": list(queries)})

    async def _post(self, path: str, **request: Any) -> list[wire.MultiVector]:
        async def once() -> bytes:
            try:
                response = await self._client.post(path, **request)
            except httpx.TransportError as exc:  # refused, reset, timed out
                raise TransientError(f"{type(exc).__name__}: {exc}") from exc
            if response.status_code in RETRY_STATUSES:
                raise TransientError(f"HTTP {response.status_code}")
            if response.status_code == 401:
                raise PaliError(
                    ErrorCode.EMBEDDINGS_UNAVAILABLE,
                    "The embedding service rejected the token: check EMBEDDINGS_URL_TOKEN.",
                )
            if response.status_code == 400:
                raise PaliError(
                    ErrorCode.BAD_USER_INPUT, response.json().get("error", response.text)
                )
            if response.status_code != 200:
                raise PaliError(
                    ErrorCode.EMBEDDINGS_UNAVAILABLE,
                    f"The embedding service answered HTTP {response.status_code}.",
                )
            return response.content

        async with self._limit:
            payload = await with_retries(
                once, attempts=self.attempts, service=self.url, initial_wait=self.initial_wait
            )
        return wire.decode(payload)

    async def aclose(self) -> None:
        await self._client.aclose()
