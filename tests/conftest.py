"""Test fixtures: one embedded PostgreSQL per session, a real uvicorn server, real HTTP.

Each test starts from empty tables (TRUNCATE after every test), so tests never see each
other's data.
"""

from __future__ import annotations

import asyncio
import os
import socket
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

# Small limits so the tests can cross them cheaply; set before the settings are read.
os.environ["PALIAPI_MAX_UPLOAD_MB"] = "1"
os.environ.pop("DATABASE_URL", None)

import asyncpg
import httpx
import pytest
import uvicorn
from sqlalchemy import event, text
from starlette.applications import Starlette

from app.db import migrate
from app.db.embedded import start_embedded_postgres
from app.db.engine import Database, plain_dsn
from app.db.models import Collection, Document, Page, SourceKind, User
from app.main import create_app
from app.services.users import create_user
from app.settings import settings

T = TypeVar("T")
TABLES = (
    "users, collections, documents, document_sources, pages, page_embeddings, pgqueuer,"
    " page_centroids, page_keys, webhooks, webhook_deliveries"
)


@pytest.fixture(scope="session")
def data_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="paliapi-test-") as tmp:
        yield Path(tmp)


@pytest.fixture(scope="session")
def database_url(data_dir: Path) -> str:
    url = start_embedded_postgres(data_dir, database="paliapi_test")
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url, pool_size=2)
    yield database
    await database.dispose()


def run_in_thread(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from sync code, even while a test's loop is running."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _truncate(url: str) -> None:
    connection = await asyncpg.connect(plain_dsn(url))
    try:
        await connection.execute(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
    finally:
        await connection.close()


@pytest.fixture(autouse=True)
def _clean_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    url = (
        request.getfixturevalue("database_url") if "database_url" in request.fixturenames else None
    )
    yield
    if url is not None:
        run_in_thread(_truncate(url))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_in_thread(app: Any) -> Iterator[str]:
    """Run an ASGI app under a real uvicorn server on loopback; yield its base URL."""
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not instance.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        instance.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def tiny_model(data_dir: Path) -> Path:
    """A tiny random ColQwen2 checkpoint, built offline once per session."""
    from gpu.tiny_model import build_tiny_colqwen2

    return build_tiny_colqwen2(data_dir / "tiny-colqwen2")


@pytest.fixture(scope="session")
def server_app(database_url: str, tiny_model: Path) -> Iterator[Starlette]:
    """The API (with its in-process ingestion worker and the tiny model) under uvicorn.

    Its base URL is `app.state.base_url`; `app.state` holds the running database and embedder.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "embeddings_model", str(tiny_model))
        patch.setattr(settings, "embeddings_device", "cpu")
        patch.setattr(settings, "job_heartbeat_s", 2.0)
        app = create_app(database_url, worker=True)
        with serve_in_thread(app) as url:
            app.state.base_url = url
            yield app


@pytest.fixture(scope="session")
def server(server_app: Starlette) -> str:
    url: str = server_app.state.base_url
    return url


@pytest.fixture
def http(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30) as client:
        yield client


class Api:
    """A GraphQL client acting as one user."""

    def __init__(self, http: httpx.Client, token: str | None) -> None:
        self.http = http
        self.token = token

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def raw(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=self.headers
        )
        body: dict[str, Any] = response.json()
        return body

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = self.raw(query, variables)
        assert "errors" not in body, body["errors"]
        result: dict[str, Any] = body["data"]
        return result

    def upload(
        self, query: str, variables: dict[str, Any], files: dict[str, tuple[str, bytes]]
    ) -> dict[str, Any]:
        """A GraphQL multipart request (the spec's operations/map/files parts)."""
        import json

        response = self.http.post(
            "/graphql",
            headers={**self.headers, "Apollo-Require-Preflight": "true"},
            data={
                "operations": json.dumps({"query": query, "variables": variables}),
                "map": json.dumps({key: [f"variables.{key}"] for key in files}),
            },
            files={
                key: (name, data, "application/octet-stream") for key, (name, data) in files.items()
            },
        )
        body: dict[str, Any] = response.json()
        return body

    def error(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The first error of a request that must fail; returns {code, message, path}."""
        body = self.raw(query, variables)
        assert body.get("errors"), body
        first = body["errors"][0]
        return {"code": first["extensions"]["code"], "message": first["message"], **first}


async def make_user(db: Database, name: str, *, admin: bool = False) -> tuple[User, str]:
    async with db.transaction() as session:
        return await create_user(session=session, name=name, is_admin=admin)


@pytest.fixture
async def alice(db: Database, http: httpx.Client) -> Api:
    _, token = await make_user(db, "alice")
    return Api(http, token)


@pytest.fixture
async def bob(db: Database, http: httpx.Client) -> Api:
    _, token = await make_user(db, "bob")
    return Api(http, token)


async def add_document(
    db: Database,
    *,
    owner_name: str,
    collection: str,
    name: str,
    metadata: dict[str, Any] | None = None,
    pages: int = 0,
) -> Document:
    """Store a document with `pages` small pages, as ingestion would leave it."""
    async with db.transaction() as session:
        owner = (
            await session.execute(text("SELECT id FROM users WHERE name = :n"), {"n": owner_name})
        ).scalar_one()
        coll = (
            await session.execute(
                text("SELECT id FROM collections WHERE owner_id = :o AND name = :c"),
                {"o": owner, "c": collection},
            )
        ).scalar_one()
        document = Document(
            collection_id=coll,
            owner_id=owner,
            name=name,
            meta=metadata or {},
            source=SourceKind.UPLOAD,
            mime_type="application/pdf",
            page_count=pages,
        )
        session.add(document)
        await session.flush()
        for number in range(1, pages + 1):
            session.add(
                Page(
                    owner_id=owner,
                    document_id=document.id,  # type: ignore[arg-type]
                    number=number,
                    width=10,
                    height=20,
                    text=f"page {number} of {name}",
                    image=b"\x89PNG-page-%d" % number,
                    image_mime="image/png",
                )
            )
        await session.flush()
        await session.refresh(document)
        return document


__all__ = ["Api", "Collection", "add_document", "make_user", "settings"]


@pytest.fixture
def statements(server_app: Starlette) -> Iterator[list[str]]:
    """Every SQL statement the API and its in-process worker send while the test runs: through
    the engine, and to the asyncpg connections under it directly (the first stage's); not
    pings, transaction control or asyncpg's own type lookups (once a connection)."""
    seen: list[str] = []
    engine = server_app.state.db.engine.sync_engine
    logged: list[Any] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    def record_direct(query: Any) -> None:
        words = query.query.rstrip("; ").split()  # the pool's ping is ";"
        driver_own = "typeinfo_tree" in query.query or "'jit'" in query.query  # type lookups
        if words and words[0] not in ("BEGIN", "COMMIT", "ROLLBACK") and not driver_own:
            seen.append(query.query)

    def on_checkout(dbapi_connection: Any, *_: Any) -> None:
        driver = dbapi_connection.driver_connection
        if driver not in logged:
            driver.add_query_logger(record_direct)
            logged.append(driver)

    event.listen(engine, "before_cursor_execute", record)
    event.listen(engine, "checkout", on_checkout)
    yield seen
    event.remove(engine, "before_cursor_execute", record)
    event.remove(engine, "checkout", on_checkout)
    for driver in logged:
        driver.remove_query_logger(record_direct)


@pytest.fixture
def tight_search_limit() -> Iterator[None]:
    """A search bucket of 3 tokens, refilling at 0.5 a second."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "rate_limit_search_burst", 3)
        patch.setattr(settings, "rate_limit_search_per_s", 0.5)
        yield
