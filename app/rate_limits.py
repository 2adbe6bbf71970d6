"""Per-user rate limits: token buckets kept in Postgres, so every API process shares them.

A bucket holds up to `burst` tokens and refills at `per_s` tokens a second; a request takes
one token (a batch: one per item) or is refused with `RATE_LIMITED` and how long until a
token is back (`extensions.retryAfter`, and a `Retry-After` header). Admins are exempt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import text

from app.db.engine import Database
from app.db.models import User
from app.errors import ErrorCode, PaliError
from app.settings import settings

# One statement, atomic under concurrency: the upsert locks the row, so requests from any
# number of processes take tokens one after another. `refill` is the tokens now: what was
# left plus the refill since, up to the burst. `now()` is the statement's start: one that
# waited for the lock may be older than the row's time, hence the GREATESTs.
_TAKE = text(
    """
    INSERT INTO rate_limit_buckets AS b (user_id, bucket, tokens, updated_at, granted)
    VALUES (
        :user_id, :bucket,
        CAST(:burst AS double precision) - CAST(:cost AS double precision), now(), true
    )
    ON CONFLICT (user_id, bucket) DO UPDATE SET (tokens, granted, updated_at) = (
        SELECT refill - CASE WHEN refill >= CAST(:cost AS double precision)
                             THEN CAST(:cost AS double precision) ELSE 0 END,
               refill >= CAST(:cost AS double precision),
               GREATEST(b.updated_at, now())
        FROM (
            SELECT LEAST(
                CAST(:burst AS double precision),
                b.tokens + CAST(:per_s AS double precision)
                    * GREATEST(0, EXTRACT(EPOCH FROM now() - b.updated_at))
            ) AS refill
        ) AS r
    )
    RETURNING b.tokens, b.granted
    """
)


@dataclass(frozen=True)
class Bucket:
    """A kind of request, its steady rate per second and its burst."""

    name: str
    per_s: float
    burst: int
    setting: str  # the environment variables an operator would raise


def search_bucket() -> Bucket:
    return Bucket(
        "search",
        settings.rate_limit_search_per_s,
        settings.rate_limit_search_burst,
        "PALIAPI_RATE_LIMIT_SEARCH_PER_S / _BURST",
    )


def upload_bucket() -> Bucket:
    return Bucket(
        "upload",
        settings.rate_limit_upload_per_s,
        settings.rate_limit_upload_burst,
        "PALIAPI_RATE_LIMIT_UPLOAD_PER_S / _BURST",
    )


async def take(db: Database, user: User, bucket: Bucket, cost: int = 1) -> None:
    """Take `cost` tokens from the user's bucket, or raise RATE_LIMITED with `retryAfter`.

    A cost over the burst counts as the burst: it could never fit otherwise.
    """
    if user.is_admin:
        return
    cost = min(cost, bucket.burst)
    # Autocommit: one round trip, and the row lock lasts only as long as the statement.
    async with db.engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        tokens, granted = (
            await autocommit.execute(
                _TAKE,
                {
                    "user_id": user.id,
                    "bucket": bucket.name,
                    "burst": bucket.burst,
                    "per_s": bucket.per_s,
                    "cost": cost,
                },
            )
        ).one()
    if not granted:
        raise rate_limited(
            (cost - tokens) / bucket.per_s,
            f"Too many {bucket.name} requests: at most {bucket.per_s:g} a second "
            f"(bursts of {bucket.burst}) per user ({bucket.setting}).",
        )


def rate_limited(retry_after_s: float, message: str) -> PaliError:
    """RATE_LIMITED, telling the client when to come back (rounded up to the millisecond)."""
    retry_after = max(math.ceil(retry_after_s * 1000) / 1000, 0.001)
    return PaliError(
        ErrorCode.RATE_LIMITED,
        f"{message} Retry in {retry_after:g} s.",
        retryAfter=retry_after,
    )


def retry_after_header(response_data: object) -> str | None:
    """The `Retry-After` value (whole seconds) for a GraphQL response with RATE_LIMITED errors."""
    responses = response_data if isinstance(response_data, list) else [response_data]
    waits = [
        error["extensions"]["retryAfter"]
        for response in responses
        if isinstance(response, dict)
        for error in response.get("errors") or []
        if isinstance(error, dict)
        and (error.get("extensions") or {}).get("code") == ErrorCode.RATE_LIMITED
        and isinstance(error["extensions"].get("retryAfter"), int | float)
    ]
    return str(max(1, math.ceil(max(waits)))) if waits else None
