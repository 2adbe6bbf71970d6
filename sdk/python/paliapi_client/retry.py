"""Retries with exponential backoff for errors that go away on their own."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .errors import PaliAPIError, RateLimitedError

RETRYABLE_CODES = frozenset({"EMBEDDINGS_UNAVAILABLE", "RATE_LIMITED", "CONNECTION_ERROR"})


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry; `RetryPolicy(attempts=1)` turns retries off."""

    attempts: int = 4
    backoff_s: float = 0.5
    max_backoff_s: float = 20.0
    codes: frozenset[str] = field(default=RETRYABLE_CODES)

    def delay(self, attempt: int, error: PaliAPIError) -> float | None:
        """Seconds to wait before attempt `attempt + 1`, or None to give up and raise."""
        if attempt >= self.attempts or error.code not in self.codes:
            return None
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            return min(error.retry_after, self.max_backoff_s)
        # Full jitter keeps many clients from retrying in lockstep.
        ceiling = min(self.backoff_s * 2 ** (attempt - 1), self.max_backoff_s)
        return random.uniform(ceiling / 2, ceiling)  # noqa: S311
