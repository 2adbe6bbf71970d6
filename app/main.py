"""The Starlette application: /graphql (with GraphiQL), /healthz, page images and the web app."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from cross_web import HTTPException  # strawberry's own transport exceptions
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types.unset import UNSET, UnsetType

from app import __version__
from app.auth import bearer_token, user_from_token
from app.db.engine import resolve_database_url
from app.http_limits import PREFLIGHT_HEADERS, RequestGuard, decode_request_json, http_error
from app.metrics_route import metrics
from app.observability import RequestObservability
from app.page_image_route import page_image
from app.page_urls import PageUrlSigner, load_signing_key
from app.rate_limits import retry_after_header
from app.runtime import Runtime
from app.schema.context import Context
from app.schema.dataloaders import Loaders
from app.schema.root import schema
from app.settings import settings
from app.web_assets import built_web_dir, graphiql_page

log = logging.getLogger(__name__)


class GraphQLApp(GraphQL[Context, None]):
    def __init__(self, *args: Any, ide_page: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ide_page = ide_page

    async def render_graphql_ide(self, request: Request) -> Response:
        # The web build's GraphiQL (bundled, no CDN), else a self-contained fallback page.
        return HTMLResponse(self.ide_page)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        # As strawberry's, but a refused request gets a JSON GraphQL error, not plain text.
        try:
            response = await self.run(Request(scope, receive))
        except HTTPException as error:
            response = http_error(error)
        except ClientDisconnect:
            return  # the client left mid-body (a closed tab): nobody to answer
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
            page_urls=state.page_urls,
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
        app.state.page_urls = PageUrlSigner(
            key=load_signing_key(settings.url_signing_key, settings.data_dir),
            ttl_s=settings.image_url_ttl_s,
        )
        url = database_url or resolve_database_url(settings)
        async with Runtime.start(url, worker=_wants_worker(worker)) as runtime:
            app.state.runtime = runtime
            app.state.db = runtime.db
            app.state.embedder = runtime.embedder
            app.state.renderer = runtime.renderer
            yield

    # Multipart is safe to enable: RequestGuard insists on a preflight header (CSRF).
    web_dir = built_web_dir(settings)
    graphql = GraphQLApp(
        schema,
        graphql_ide="graphiql",
        allow_queries_via_get=False,
        multipart_uploads_enabled=True,
        ide_page=graphiql_page(web_dir),
        # Subscriptions from the same origins CORS lets in (strawberry checks websockets'
        # Origin itself: CORS does not cover them).
        allowed_origins=settings.cors_origins,
    )
    routes: list[BaseRoute] = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
        Route("/pages/{page_id:int}/image", page_image, methods=["GET"], name="page_image"),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
    ]
    if web_dir is not None:  # last: every other path above wins
        routes.append(Mount("/", StaticFiles(directory=web_dir, html=True), name="web"))
    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(RequestGuard, max_bytes=settings.max_request_bytes)
    if settings.cors_origins:
        # Outside the guard: preflights are answered here, and refusals carry CORS headers
        # (a browser shows a script the error only then). Bearer tokens, never cookies.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-Request-Id"]
            + [h.decode() for h in PREFLIGHT_HEADERS],
            expose_headers=["X-Request-Id", "Retry-After", "ETag"],
            max_age=600,
        )
    # Added last, so outermost: even the guard's refusals carry a request id and are logged.
    app.add_middleware(RequestObservability)
    return app
