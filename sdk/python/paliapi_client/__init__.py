"""Python client for PaliAPI: `PaliAPI` (sync) and `AsyncPaliAPI` (asyncio).

The typed operations under `PaliAPI.graphql` are generated from `schema.graphql` and
`sdk/operations/*.graphql` by ariadne-codegen; this package adds uploads, search,
subscriptions, pagination, typed errors and retries on top.
"""

from .async_client import AsyncPaliAPI
from .client import PaliAPI
from .errors import (
    BadUserInputError,
    ConflictError,
    EmbeddingsUnavailableError,
    ForbiddenError,
    InternalServerError,
    NotFoundError,
    PaliAPIConnectionError,
    PaliAPIError,
    PaliAPITimeoutError,
    PayloadTooLargeError,
    QueryTooComplexError,
    RateLimitedError,
    UnauthenticatedError,
    UnsupportedMediaTypeError,
)
from .retry import RetryPolicy
from .vectors import to_numpy

__all__ = [
    "AsyncPaliAPI",
    "BadUserInputError",
    "ConflictError",
    "EmbeddingsUnavailableError",
    "ForbiddenError",
    "InternalServerError",
    "NotFoundError",
    "PaliAPI",
    "PaliAPIConnectionError",
    "PaliAPIError",
    "PaliAPITimeoutError",
    "PayloadTooLargeError",
    "QueryTooComplexError",
    "RateLimitedError",
    "RetryPolicy",
    "UnauthenticatedError",
    "UnsupportedMediaTypeError",
    "to_numpy",
]
