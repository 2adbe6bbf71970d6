"""Transport guards in front of every route: request size, and CSRF-safe multipart uploads."""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import ErrorCode

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
