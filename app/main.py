"""The Starlette application: /graphql (with GraphiQL), /healthz and page images."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from cross_web import HTTPException  # strawberry's own transport exceptions
from sqlalchemy import select, text
from sqlmodel import col
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types.unset import UNSET, UnsetType

from app import __version__
from app.auth import bearer_token, user_from_token
from app.db.engine import Database, resolve_database_url
from app.db.models import Document, Page
from app.errors import ErrorCode
from app.http_limits import RequestGuard, decode_request_json, error_response, http_error
from app.metrics_route import metrics
from app.observability import RequestObservability
from app.rate_limits import retry_after_header
from app.runtime import Runtime
from app.schema.context import Context
from app.schema.dataloaders import Loaders
from app.schema.root import schema
from app.settings import settings

log = logging.getLogger(__name__)


class GraphQLApp(GraphQL[Context, None]):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        # As strawberry's, but a refused request gets a JSON GraphQL error, not plain text.
        try:
            response = await self.run(Request(scope, receive))
        except HTTPException as error:
            response = http_error(error)
        await response(scope, receive, send)

    def decode_json(self, data: str | bytes) -> object:
        return decode_request_json(data)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        state = request.app.state
        return Context(
            request=request,
            db=state.db,
            user=await user_from_token(state.db, bearer_token(request)),
            embedder=state.embedder,
            renderer=state.renderer,
        )

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        # Browsers cannot set headers on a websocket: the token comes in `connection_init`,
        # as {"Authorization": "Bearer <token>"} or {"token": "<token>"}.
        params = context.connection_params or {}
        raw = params.get("Authorization") or params.get("authorization") or params.get("token")
        if context.user is None and isinstance(raw, str):
            token = raw.removeprefix("Bearer ").strip()
            context.user = await user_from_token(context.db, token)
            context.loaders = Loaders(context.db, context.user)
        return UNSET  # type: ignore[no-any-return]

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        if (retry_after := retry_after_header(response_data)) is not None:
            response.headers["Retry-After"] = retry_after
        return response


async def healthz(request: Request) -> Response:
    """Liveness and readiness in one: the database, the embedder and the worker, as they are.

    It never loads a model or calls the embedding service: it reports what they last showed.
    """
    runtime: Runtime = request.app.state.runtime
    try:
        async with runtime.db.session() as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:
        log.warning("health check: database unreachable: %s", exc)
        return JSONResponse(
            {"status": "unavailable", "database": f"unreachable: {type(exc).__name__}"},
            status_code=503,
        )
    health = runtime.embedder.health
    degraded = health.state == "unavailable" or not runtime.worker_status.healthy
    return JSONResponse(
        {
            "status": "degraded" if degraded else "ok",
            "database": "ok",
            "embeddings": health.describe(),
            "model": runtime.embedder.model_name,
            "worker": runtime.worker_status.describe(),
            "version": __version__,
        }
    )


async def page_image(request: Request) -> Response:
    db: Database = request.app.state.db
    user = await user_from_token(db, bearer_token(request))
    if user is None:
        return error_response(
            401, ErrorCode.UNAUTHENTICATED, "Send `Authorization: Bearer <token>`."
        )
    page_id = request.path_params["page_id"]
    async with db.session() as session:
        row = (
            await session.execute(
                select(col(Page.image), col(Page.image_mime))
                .join(Document, col(Document.id) == col(Page.document_id))
                .where(col(Page.id) == page_id, col(Document.owner_id) == user.id)
            )
        ).first()
    if row is None:
        return error_response(404, ErrorCode.NOT_FOUND, f"Page {page_id} was not found.")
    # Private: the bytes belong to one user; immutable: a page image never changes in place.
    return Response(
        row.image,
        media_type=row.image_mime,
        headers={"Cache-Control": "private, max-age=86400, immutable"},
    )


def _wants_worker(explicit: bool | None) -> bool:
    if explicit is not None:
        return explicit
    if settings.inprocess_worker is not None:
        return settings.inprocess_worker
    return settings.database_url is None


def create_app(database_url: str | None = None, *, worker: bool | None = None) -> Starlette:
    """Build the app; with no URL, resolve it from the settings (embedded server by default).

    `worker`: run an ingestion worker in this process (default: on the embedded database).
    """

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        url = database_url or resolve_database_url(settings)
        async with Runtime.start(url, worker=_wants_worker(worker)) as runtime:
            app.state.runtime = runtime
            app.state.db = runtime.db
            app.state.embedder = runtime.embedder
            app.state.renderer = runtime.renderer
            yield

    # Multipart is safe to enable: RequestGuard insists on a preflight header (CSRF).
    graphql = GraphQLApp(
        schema, graphql_ide="graphiql", allow_queries_via_get=False, multipart_uploads_enabled=True
    )
    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
        Route("/pages/{page_id:int}/image", page_image, methods=["GET"], name="page_image"),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(RequestGuard, max_bytes=settings.max_request_bytes)
    # Added last, so outermost: even the guard's refusals carry a request id and are logged.
    app.add_middleware(RequestObservability)
    return app
