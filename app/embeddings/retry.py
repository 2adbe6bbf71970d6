"""Retries for remote embedders: exponential backoff with jitter, then a clear error."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from tenacity import AsyncRetrying, RetryError, retry_if_exception_type, stop_after_attempt
from tenacity import wait_exponential_jitter as backoff

from app.errors import ErrorCode, PaliError

T = TypeVar("T")


class TransientError(Exception):
    """A failure worth retrying (timeout, refused connection, 429/5xx)."""


async def with_retries(
    call: Callable[[], Awaitable[T]], *, attempts: int, service: str, initial_wait: float = 0.2
) -> T:
    try:
        async for attempt in AsyncRetrying(
            retry=retry_if_exception_type(TransientError),
            stop=stop_after_attempt(max(1, attempts)),
            wait=backoff(multiplier=initial_wait, max=10.0, jitter=initial_wait),
        ):
            with attempt:
                return await call()
    except RetryError as exc:
        last = exc.last_attempt.exception()
        raise PaliError(
            ErrorCode.EMBEDDINGS_UNAVAILABLE,
            f"The embedding service ({service}) is unavailable after {attempts} attempts: {last}. "
            "Try again shortly; if it persists, check the service.",
        ) from exc
    raise AssertionError("unreachable")  # pragma: no cover
