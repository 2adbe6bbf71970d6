"""The Starlette application: /graphql (with GraphiQL), /healthz and page images."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import select, text
from sqlmodel import col
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from app import __version__
from app.auth import bearer_token, user_from_token
from app.db.engine import Database, resolve_database_url
from app.db.models import Document, Page
from app.errors import ErrorCode
from app.http_limits import RequestGuard, error_response
from app.schema.context import Context
from app.schema.root import schema
from app.settings import settings

log = logging.getLogger(__name__)


class GraphQLApp(GraphQL[Context, None]):
    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        db: Database = request.app.state.db
        return Context(
            request=request, db=db, user=await user_from_token(db, bearer_token(request))
        )


async def healthz(request: Request) -> Response:
    db: Database = request.app.state.db
    try:
        async with db.session() as session:
            await session.execute(text("SELECT 1"))
    except Exception:
        log.exception("database unreachable")
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok", "version": __version__})


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


def create_app(database_url: str | None = None) -> Starlette:
    """Build the app; with no URL, resolve it from the settings (embedded server by default)."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.db = Database(
            database_url or resolve_database_url(settings), pool_size=settings.db_pool_size
        )
        try:
            yield
        finally:
            await app.state.db.dispose()

    # Multipart is safe to enable: RequestGuard insists on a preflight header (CSRF).
    graphql = GraphQLApp(
        schema, graphql_ide="graphiql", allow_queries_via_get=False, multipart_uploads_enabled=True
    )
    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/pages/{page_id:int}/image", page_image, methods=["GET"], name="page_image"),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(RequestGuard, max_bytes=settings.max_request_bytes)
    return app
