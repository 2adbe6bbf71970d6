"""Transport guards in front of every route: request size, CSRF-safe multipart uploads, and
a typed JSON error for every body that is not one GraphQL request."""

from __future__ import annotations

import json
import logging

from cross_web import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import ErrorCode

log = logging.getLogger("paliapi.errors")

# A browser sends these only after a CORS preflight, so a cross-site form cannot forge them.
PREFLIGHT_HEADERS = (b"apollo-require-preflight", b"x-paliapi-client", b"x-apollo-operation-name")


def error_response(status: int, code: ErrorCode, message: str) -> JSONResponse:
    return JSONResponse(
        {"data": None, "errors": [{"message": message, "extensions": {"code": code.value}}]},
        status_code=status,
    )


class _TooLarge(Exception):
    pass


class RequestGuard:
    """Refuse bodies over `max_bytes` (by header, or while streaming) and unsafe multipart."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        too_large = error_response(
            413,
            ErrorCode.PAYLOAD_TOO_LARGE,
            f"The request body exceeds {self.max_bytes // (1024 * 1024)} MiB "
            "(PALIAPI_MAX_UPLOAD_MB); send a smaller file or pass a URL.",
        )
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await too_large(scope, receive, send)
            return
        content_type = headers.get(b"content-type", b"")
        if content_type.startswith(b"multipart/") and not any(
            h in headers for h in PREFLIGHT_HEADERS
        ):
            await error_response(
                400,
                ErrorCode.BAD_USER_INPUT,
                "Multipart requests need a non-simple header such as "
                "`Apollo-Require-Preflight: true` or `x-paliapi-client: <name>` (CSRF protection).",
            )(scope, receive, send)
            return

        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if started:
                raise
            await too_large(scope, receive, send)


class _NotARequest(json.JSONDecodeError):
    """A body that is JSON but not one GraphQL request; strawberry answers JSONDecodeError with
    a 400, and this type carries the reason to `http_error`."""

    def __init__(self, reason: str, document: str | bytes) -> None:
        text = document if isinstance(document, str) else document[:64].decode(errors="replace")
        super().__init__(reason, text, 0)
        self.reason = reason


def decode_request_json(data: str | bytes) -> object:
    """JSON from a request body, a multipart `operations`/`map` part or a websocket message:
    an object, or a BAD_USER_INPUT-bound error naming what is wrong with it."""
    try:
        value = json.loads(data)
    except RecursionError as error:
        # The C parser gives up at Python's recursion limit; that is the client's nesting.
        raise _NotARequest(
            "The JSON body nests too deeply to parse; metadata and filters allow far less.", data
        ) from error
    except ValueError as error:  # JSONDecodeError, invalid UTF-8, an integer of 5,000 digits
        raise _NotARequest(f"The request body is not valid JSON: {error}.", data) from error
    if isinstance(value, list):
        raise _NotARequest(
            "Batched requests (a JSON array) are not supported; send one operation per request.",
            data,
        )
    if not isinstance(value, dict):
        raise _NotARequest(
            'The request body must be a JSON object: {"query": "...", "variables": {...}}.', data
        )
    return value


def http_error(error: HTTPException) -> JSONResponse:
    """A request strawberry refused before execution (not JSON, a batch, no query, GET for a
    mutation...), as a GraphQL error with a code instead of a plain-text body."""
    cause = error.__cause__
    message = cause.reason if isinstance(cause, _NotARequest) else error.reason
    code = {
        404: ErrorCode.NOT_FOUND,
        413: ErrorCode.PAYLOAD_TOO_LARGE,
    }.get(error.status_code, ErrorCode.BAD_USER_INPUT)
    if error.status_code >= 500:
        code = ErrorCode.INTERNAL_SERVER_ERROR
    log.info("client error %s: %s", code.value, message)
    return error_response(error.status_code, code, message)
