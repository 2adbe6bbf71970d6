"""Per-request observability: a request id, an access-log line and HTTP metrics for each request.

The request id comes from a sane incoming `X-Request-Id` (so a proxy's or a client's id
carries through) or is generated; it is bound into every log line written while the request
runs and returned in the `X-Request-Id` header of every response, errors included.
"""

from __future__ import annotations

import re
import time
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import ErrorCode
from app.http_limits import error_response
from app.logs import get_logger
from app.metrics import HTTP_LATENCY, HTTP_REQUESTS

REQUEST_ID_HEADER = b"x-request-id"
# Ids from outside are echoed into logs and headers: short, and nothing that could forge a
# log field or a header (no spaces, quotes, newlines).
_SANE_ID = re.compile(rb"[A-Za-z0-9._:\-]{1,128}")
_PAGE_IMAGE = re.compile(r"/pages/\d+/image")
ROUTES = ("/graphql", "/healthz", "/metrics")

access_log = get_logger("paliapi.access")


@dataclass
class RequestInfo:
    """What the layers below report back to the access log (the GraphQL operation name)."""

    request_id: str
    operation: str | None = None


current_request: ContextVar[RequestInfo | None] = ContextVar("current_request", default=None)


def request_id_from(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER and _SANE_ID.fullmatch(value):
            return bytes(value).decode("ascii")
    return uuid.uuid4().hex


def route_of(path: str) -> str:
    """The route template of a path: a bounded label, whatever paths clients send."""
    if path in ROUTES:
        return path
    if _PAGE_IMAGE.fullmatch(path):
        return "/pages/{page_id}/image"
    return "other"


class RequestObservability:
    """Outermost middleware: request id, access log, HTTP metrics, and a JSON 500 for bugs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        info = RequestInfo(request_id_from(scope))
        header = (REQUEST_ID_HEADER, info.request_id.encode("ascii"))
        status = 0
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        info_token = current_request.set(info)
        log_tokens = structlog.contextvars.bind_contextvars(request_id=info.request_id)
        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # Starlette's own last resort answers in plain text, without our header: answer
            # here instead, as the API answers every error.
            access_log.exception("unhandled error")
            if status:
                raise  # the response had started: nothing sane can be sent any more
            await error_response(500, ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error.")(
                scope, receive, send_with_id
            )
        finally:
            elapsed = time.perf_counter() - started
            route = route_of(scope["path"])
            HTTP_REQUESTS.labels(route, str(status)).inc()
            HTTP_LATENCY.labels(route).observe(elapsed)
            access_log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                duration_ms=round(elapsed * 1000, 2),
                operation=info.operation,
            )
            structlog.contextvars.reset_contextvars(**log_tokens)
            current_request.reset(info_token)
