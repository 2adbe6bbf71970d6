"""Exceptions per GraphQL `extensions.code`, so callers can catch what they can handle."""

from __future__ import annotations

import socket
from typing import Any

import httpx
from websockets.exceptions import WebSocketException

from ._async import exceptions as _async_exceptions
from ._sync import exceptions as _sync_exceptions

_GRAPHQL_ERRORS = (
    _sync_exceptions.GraphQLClientGraphQLMultiError,
    _async_exceptions.GraphQLClientGraphQLMultiError,
)
_HTTP_ERRORS = (_sync_exceptions.GraphQLClientHttpError, _async_exceptions.GraphQLClientHttpError)
_CLIENT_ERRORS = (_sync_exceptions.GraphQLClientError, _async_exceptions.GraphQLClientError)
_NOT_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    ConnectionRefusedError,
    socket.gaierror,
)
"""Errors raised before any byte of the request left: refused, DNS failure, no connection."""


class PaliAPIError(Exception):
    """Base of every error the SDK raises; `code` is the server's `extensions.code`."""

    code: str = "UNKNOWN"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        extensions: dict[str, Any] | None = None,
        path: list[str | int] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.extensions: dict[str, Any] = extensions or {}
        self.path = path


class UnauthenticatedError(PaliAPIError):
    """The token is missing, unknown or revoked."""

    code = "UNAUTHENTICATED"


class ForbiddenError(PaliAPIError):
    """The user may not do this (admin-only operations)."""

    code = "FORBIDDEN"


class NotFoundError(PaliAPIError):
    """No such object, or it belongs to another user."""

    code = "NOT_FOUND"


class BadUserInputError(PaliAPIError):
    """An argument is invalid; the message says which and how to fix it."""

    code = "BAD_USER_INPUT"


class ConflictError(PaliAPIError):
    """The name is taken (pass `overwrite` to replace a document)."""

    code = "CONFLICT"


class UnsupportedMediaTypeError(PaliAPIError):
    """The file is not a PDF or an image the server can read."""

    code = "UNSUPPORTED_MEDIA_TYPE"


class PayloadTooLargeError(PaliAPIError):
    """The upload is over the server's size limit."""

    code = "PAYLOAD_TOO_LARGE"


class QueryTooComplexError(PaliAPIError):
    """The query is too deep or too costly."""

    code = "QUERY_TOO_COMPLEX"


class RateLimitedError(PaliAPIError):
    """Too many requests; `retry_after` says how many seconds to wait."""

    code = "RATE_LIMITED"

    @property
    def retry_after(self) -> float | None:
        value = self.extensions.get("retryAfter")
        return float(value) if isinstance(value, int | float) else None


class EmbeddingsUnavailableError(PaliAPIError):
    """The embedding model is loading or unreachable; retry later."""

    code = "EMBEDDINGS_UNAVAILABLE"


class InternalServerError(PaliAPIError):
    """A server bug (the message is masked)."""

    code = "INTERNAL_SERVER_ERROR"


class PaliAPIConnectionError(PaliAPIError):
    """The server could not be reached, or answered something that is not GraphQL.

    `request_sent` is False only when the request certainly never reached the server
    (connection refused, DNS failure, connect timeout): then nothing happened and any call,
    mutations included, is safe to send again. When it is True (the connection dropped or
    the answer did not come in time, after the request was sent), a mutation may have taken
    effect: the SDK does not retry mutations then, and the message says how to check.
    """

    code = "CONNECTION_ERROR"

    def __init__(
        self,
        message: str,
        *,
        request_sent: bool = True,
        code: str | None = None,
        extensions: dict[str, Any] | None = None,
        path: list[str | int] | None = None,
    ) -> None:
        super().__init__(message, code=code, extensions=extensions, path=path)
        self.request_sent = request_sent

    def unconfirmed(self, check: str) -> PaliAPIConnectionError:
        """This error for a mutation that may have happened, saying how to `check`."""
        message = (
            f"{self.message}. The request was sent, so the server may have carried it out "
            f"(it was not retried): {check}"
        )
        return type(self)(message, request_sent=self.request_sent, extensions=self.extensions)


class PaliAPITimeoutError(PaliAPIConnectionError):
    """The request was sent but no answer came within the client's `timeout`.

    Its code is still `CONNECTION_ERROR`. A query is retried; a mutation is not, since it
    may have happened (or still be running) on the server.
    """


_BY_CODE: dict[str, type[PaliAPIError]] = {
    cls.code: cls
    for cls in (
        UnauthenticatedError,
        ForbiddenError,
        NotFoundError,
        BadUserInputError,
        ConflictError,
        UnsupportedMediaTypeError,
        PayloadTooLargeError,
        QueryTooComplexError,
        RateLimitedError,
        EmbeddingsUnavailableError,
        InternalServerError,
    )
}


def from_error_dict(error: dict[str, Any]) -> PaliAPIError:
    """The typed exception for one entry of a GraphQL response's `errors`."""
    extensions = error.get("extensions") or {}
    code = str(extensions.get("code", "INTERNAL_SERVER_ERROR"))
    cls = _BY_CODE.get(code, PaliAPIError)
    return cls(
        str(error.get("message", "")), code=code, extensions=extensions, path=error.get("path")
    )


def translate(exc: Exception) -> PaliAPIError:
    """Turn a generated client's or httpx's exception into a `PaliAPIError`."""
    if isinstance(exc, PaliAPIError):
        return exc
    if isinstance(exc, _GRAPHQL_ERRORS) or hasattr(exc, "errors"):
        errors = getattr(exc, "errors", [])
        if errors:
            first = errors[0]
            return from_error_dict(
                first.original
                or {"message": first.message, "extensions": first.extensions, "path": first.path}
            )
    if isinstance(exc, _HTTP_ERRORS) or hasattr(exc, "status_code"):
        # Some errors (429, 413) come with a non-2xx status and a GraphQL body.
        response = getattr(exc, "response", None)
        try:
            body = response.json() if isinstance(response, httpx.Response) else None
        except ValueError:
            body = None
        if isinstance(body, dict) and body.get("errors"):
            return from_error_dict(body["errors"][0])
        status = getattr(exc, "status_code", "?")
        return PaliAPIConnectionError(f"the server answered HTTP {status}")
    return _transport_error(exc)


def _transport_error(exc: Exception) -> PaliAPIConnectionError:
    """A failed exchange with the server, saying whether the request may have reached it."""
    name = type(exc).__name__
    if isinstance(exc, _NOT_SENT):
        return PaliAPIConnectionError(
            f"could not connect to the server ({name}: {exc}); the request was not sent",
            request_sent=False,
        )
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return PaliAPITimeoutError(
            f"no answer within the client's timeout ({name}: {exc}; "
            "PaliAPI(url, token, timeout=...) sets it)"
        )
    if isinstance(exc, httpx.TransportError | OSError | WebSocketException | _CLIENT_ERRORS):
        return PaliAPIConnectionError(f"the connection to the server failed ({name}: {exc})")
    raise exc
