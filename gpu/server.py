"""The embedding service over HTTP, for any GPU box (and, mounted by Modal, as a web endpoint).

    python -m gpu.server --model vidore/colqwen2.5-v0.2 --host 0.0.0.0 --port 8001

Endpoints (bearer token from EMBEDDINGS_URL_TOKEN when set):
    GET  /health          {"status", "model", "family", "dim", "device", "dtype", ...}
    POST /embed/images    multipart, one `images` part per encoded image -> safetensors
                          (metadata `grids`: each page's patch grid, see gpu/wire.py)
    POST /embed/queries   JSON {"queries": [...]}                        -> safetensors
                          (metadata `tokens`: each query's token strings)
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import logging
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from PIL import UnidentifiedImageError
from PIL.Image import Image
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gpu import wire
from gpu.engine import open_image

if TYPE_CHECKING:
    from gpu.engine import Engine

log = logging.getLogger(__name__)
MAX_ITEMS = 512


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def create_app(load_engine: Callable[[], Engine], *, token: str | None = None) -> Starlette:
    """An app around one engine, loaded once at start-up. Requests run in threads and take
    the engine's turns (one forward pass at a time, queries first), with any other caller
    of the same engine."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.engine = await asyncio.to_thread(load_engine)
        yield

    def authorized(request: Request) -> bool:
        if not token:
            return True
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token)

    async def run(
        request: Request, work: Callable[[Engine], tuple[list[wire.MultiVector], dict[str, str]]]
    ) -> Response:
        """Run `work` (vectors, and metadata to send with them) on the engine, in a thread."""
        engine: Engine = request.app.state.engine
        vectors, metadata = await asyncio.to_thread(work, engine)
        body = wire.encode(vectors, model=engine.name, dim=str(engine.dim), **metadata)
        return Response(body, media_type=wire.CONTENT_TYPE)

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", **request.app.state.engine.describe()})

    async def embed_images(request: Request) -> Response:
        if not authorized(request):
            return _error(401, "missing or wrong bearer token")
        async with request.form(max_files=MAX_ITEMS) as form:
            parts = form.getlist("images")
            if not parts or not all(isinstance(p, UploadFile) for p in parts):
                return _error(400, "send one or more `images` file parts")
            payloads = [await part.read() for part in parts if isinstance(part, UploadFile)]
        try:
            # Decoding up to MAX_ITEMS images is CPU work: a thread keeps the loop serving.
            images = await asyncio.to_thread(lambda: [open_image(data) for data in payloads])
        except (UnidentifiedImageError, OSError) as exc:
            return _error(400, f"not a readable image: {exc}")
        return await run(request, lambda engine: _pages(engine, images))

    async def embed_queries(request: Request) -> Response:
        if not authorized(request):
            return _error(401, "missing or wrong bearer token")
        try:
            body: Any = await request.json()
        except ValueError:
            return _error(400, 'send JSON {"queries": ["..."]}')
        queries = body.get("queries") if isinstance(body, dict) else None
        if not isinstance(queries, list) or not all(isinstance(q, str) for q in queries):
            return _error(400, 'send JSON {"queries": ["..."]}')
        if len(queries) > MAX_ITEMS:
            return _error(400, f"at most {MAX_ITEMS} queries per request")
        return await run(request, lambda engine: _queries(engine, queries))

    return Starlette(
        routes=[
            Route("/health", health, methods=["GET"]),
            Route("/embed/images", embed_images, methods=["POST"]),
            Route("/embed/queries", embed_queries, methods=["POST"]),
        ],
        lifespan=lifespan,
    )


def _pages(engine: Engine, images: list[Image]) -> tuple[list[wire.MultiVector], dict[str, str]]:
    vectors, grids = engine.embed_pages(images)
    return vectors, {"grids": wire.encode_grids(grids)}


def _queries(engine: Engine, queries: list[str]) -> tuple[list[wire.MultiVector], dict[str, str]]:
    vectors, tokens = engine.embed_queries_with_tokens(queries)
    return vectors, {"tokens": wire.encode_tokens(tokens)}


def main() -> None:
    import uvicorn

    from gpu.engine import Engine, EngineOptions

    parser = argparse.ArgumentParser(description="PaliAPI embedding server")
    parser.add_argument("--model", default=os.environ.get("EMBEDDINGS_MODEL"), help="name or path")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--device", default="auto")
    parser.add_argument(
        "--token-budget",
        type=int,
        default=os.environ.get("EMBEDDINGS_TOKEN_BUDGET"),
        help="padded tokens per forward pass (default: 32,768 on a GPU, 2,048 on a CPU)",
    )
    parser.add_argument("--pool-factor", type=int, default=1)
    args = parser.parse_args()
    options = EngineOptions(
        device=args.device, token_budget=args.token_budget, pool_factor=args.pool_factor
    )
    logging.basicConfig(level=logging.INFO)
    app = create_app(
        lambda: Engine(args.model, options), token=os.environ.get("EMBEDDINGS_URL_TOKEN")
    )
    uvicorn.run(app, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
