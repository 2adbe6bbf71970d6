"""Retries with exponential backoff for errors that go away on their own.

`RATE_LIMITED` and `EMBEDDINGS_UNAVAILABLE` are refusals: the server did nothing, so every
operation may be sent again. After a transport error (`CONNECTION_ERROR`) queries are sent
again, but a mutation only when its request certainly never reached the server
(`PaliAPIConnectionError.request_sent` is False): an upload whose answer timed out may have
been stored, and sending it again would store it twice or fail with `CONFLICT`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .errors import PaliAPIConnectionError, PaliAPIError, RateLimitedError

RETRYABLE_CODES = frozenset({"EMBEDDINGS_UNAVAILABLE", "RATE_LIMITED", "CONNECTION_ERROR"})


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry; `RetryPolicy(attempts=1)` turns retries off.

    `attempts` counts the first one. Errors whose code is in `codes` are retried, except a
    mutation (create, delete, upload) after a connection error once its request was sent:
    that raises at once, saying how to check whether it happened.
    """

    attempts: int = 4
    backoff_s: float = 0.5
    max_backoff_s: float = 20.0
    codes: frozenset[str] = field(default=RETRYABLE_CODES)

    def delay(self, attempt: int, error: PaliAPIError, *, mutation: bool = False) -> float | None:
        """Seconds to wait before attempt `attempt + 1`, or None to give up and raise.

        A `mutation` is not retried after a transport error that may have come after the
        server received it (see `PaliAPIConnectionError.request_sent`).
        """
        if attempt >= self.attempts or error.code not in self.codes:
            return None
        if mutation and isinstance(error, PaliAPIConnectionError) and error.request_sent:
            return None
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            return min(error.retry_after, self.max_backoff_s)
        # Full jitter keeps many clients from retrying in lockstep.
        ceiling = min(self.backoff_s * 2 ** (attempt - 1), self.max_backoff_s)
        return random.uniform(ceiling / 2, ceiling)  # noqa: S311
