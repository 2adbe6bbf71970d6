"""`paliapi eval` without `--url`: the service itself, started in this process.

It is what `paliapi serve` runs (the database from the current settings, the embedded one by
default, migrated; the configured embeddings backend; an ingestion worker), listening on a
free loopback port for the eval's HTTP requests only, and stopped when the eval ends. The
eval goes through the same GraphQL API either way; a server already running elsewhere is
measured with `--url` instead.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from app.db import migrate
from app.db.engine import Database, resolve_database_url
from app.errors import ErrorCode, PaliError
from app.evals.errors import EvalError
from app.services import users as user_service
from app.settings import settings

EVAL_USER = "paliapi-eval"  # owns the eval's collections; its token is rotated every run
START_TIMEOUT_S = 120.0


async def eval_user_token(database_url: str) -> str:
    """A fresh token for the eval user, created on first use.

    A dedicated user keeps the eval's collections away from everyone's data; rotating its
    token means no token is ever stored or printed (so one local eval at a time per
    database: a second one's rotation ends the first's token).
    """
    db = Database(database_url, pool_size=1)
    try:
        async with db.transaction() as session:
            try:
                return await user_service.rotate_token(session=session, name=EVAL_USER)
            except PaliError as error:
                if error.code is not ErrorCode.NOT_FOUND:
                    raise
            _, token = await user_service.create_user(session=session, name=EVAL_USER)
            return token
    finally:
        await db.dispose()


def service_settings() -> dict[str, Any]:
    """The settings that shape an eval's figures, as the local service runs them."""
    return {
        "database": "DATABASE_URL" if settings.database_url else "embedded",
        "embeddings_backend": settings.embeddings_backend,
        "embeddings_model": settings.model_name,
        "embeddings_device": settings.embeddings_device,
        "embeddings_pool_factor": settings.embeddings_pool_factor,
        "embeddings_token_budget": settings.embeddings_token_budget,
        "embed_batch_pages": settings.embed_batch_pages,
        "render_dpi": settings.render_dpi,
        "render_max_pixels": settings.render_max_pixels,
        "page_image_format": settings.page_image_format,
        "search_rerank": settings.search_rerank,
        "search_candidates": settings.search_candidates,
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def local_service(token: str | None = None) -> Iterator[tuple[str, str]]:
    """Start the service on loopback; yield its base URL and a token (yours, or the eval
    user's). The server stops when the block ends."""
    import uvicorn

    from app.main import create_app

    database_url = resolve_database_url(settings)
    migrate.upgrade(database_url)
    token = token or asyncio.run(eval_user_token(database_url))
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(database_url, worker=True),
            host="127.0.0.1",
            port=port,
            log_config=None,
            log_level="warning",
            access_log=False,
        )
    )
    thread = threading.Thread(target=server.run, name="paliapi-eval-service", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise EvalError("The local service did not start; `paliapi doctor` says why.")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", token
    finally:
        server.should_exit = True
        thread.join(timeout=60)
