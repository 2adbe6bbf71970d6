"""The worker side, on a database of its own (the test server's worker never sees these jobs):
an embedding service that is down, `retryDocument`, and a worker killed with SIGKILL."""

from __future__ import annotations

import asyncio
import gc
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import text
from starlette.datastructures import UploadFile
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from app.db import migrate, vectors
from app.db.embedded import start_embedded_postgres
from app.db.engine import Database
from app.db.models import Collection, Document, DocumentStatus, User
from app.embeddings.http import HttpEmbedder
from app.embeddings.local import LocalEmbedder
from app.ingest.render import Renderer, RenderOptions
from app.ingest.token_pooling import pool_tokens
from app.services.ingestion import Ingestor
from app.services.uploads import Source, retry_document, upload_document
from app.services.users import create_user
from gpu.engine import Engine, EngineOptions
from gpu.server import create_app
from tests import files
from tests.conftest import _free_port, serve_in_thread


@pytest.fixture(scope="module")
def isolated_url(data_dir: Path) -> str:
    url = start_embedded_postgres(data_dir, database="ingestion_tests")
    migrate.upgrade(url)
    return url


@pytest.fixture
async def isolated(isolated_url: str) -> AsyncIterator[Database]:
    db = Database(isolated_url, pool_size=2)
    yield db
    async with db.transaction() as session:
        await session.execute(text("TRUNCATE users, pgqueuer RESTART IDENTITY CASCADE"))
    await db.dispose()


@pytest.fixture(scope="module")
def renderer() -> Iterator[Renderer]:
    pool = Renderer(RenderOptions(max_pixels=200_000), workers=2)
    yield pool
    pool.close()


async def owner_and_collection(db: Database, model: str) -> User:
    async with db.transaction() as session:
        user, _ = await create_user(session=session, name="worker-test")
        session.add(Collection(owner_id=user.id, name="docs", model=model))  # type: ignore[arg-type]
    return user


async def state(db: Database, document_id: int) -> tuple[str, float, str | None, int, int]:
    async with db.session() as session:
        row = (
            await session.execute(
                text(
                    "SELECT status, progress, error, (SELECT count(*) FROM pages WHERE document_id = d.id),"
                    " (SELECT count(DISTINCT number) FROM pages WHERE document_id = d.id)"
                    " FROM documents d WHERE id = :id"
                ),
                {"id": document_id},
            )
        ).one()
    return row[0], row[1], row[2], row[3], row[4]


async def upload_pdf(
    db: Database, renderer: Renderer, owner: User, name: str, pages: int
) -> Document:
    """A PDF of `pages` pages in collection "docs", stored and queued (not yet processed)."""
    return await upload_document(
        db=db,
        renderer=renderer,
        owner=owner,
        collection_name="docs",
        name=name,
        source=Source(file=UploadFile(io.BytesIO(files.pdf(pages)))),
    )


async def test_embeddings_down_fails_clearly_then_retry_resumes(
    isolated: Database, renderer: Renderer, tiny_model: Path
) -> None:
    owner = await owner_and_collection(isolated, str(tiny_model))
    document = await upload_pdf(isolated, renderer, owner, "r.pdf", 3)
    down = HttpEmbedder(
        f"http://127.0.0.1:{_free_port()}",
        model_name=str(tiny_model),
        attempts=3,
        initial_wait=0.01,
    )
    await Ingestor(isolated, down, renderer).process(document.owner_id, document.id)  # type: ignore[arg-type]
    status, _, error, pages, _ = await state(isolated, document.id)  # type: ignore[arg-type]
    assert status == "FAILED" and pages == 0
    assert (
        error is not None and "unavailable after 3 attempts" in error and "retryDocument" in error
    )
    await down.aclose()

    retried = await retry_document(db=isolated, owner=owner, collection_name="docs", name="r.pdf")
    assert retried.status == DocumentStatus.PENDING and retried.error is None
    working = LocalEmbedder(str(tiny_model), EngineOptions(device="cpu"))
    await Ingestor(isolated, working, renderer).process(document.owner_id, document.id)  # type: ignore[arg-type]
    assert await state(isolated, document.id) == ("READY", 1.0, None, 3, 3)  # type: ignore[arg-type]


class Flapping:
    """ASGI middleware: every other request to the embedding service answers 503."""

    def __init__(self, app: ASGIApp) -> None:
        self.app, self.calls = app, 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/embed"):
            self.calls += 1
            if self.calls % 2:
                await PlainTextResponse("overloaded", status_code=503)(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def test_a_flapping_embedding_service_still_ends_ready(
    isolated: Database, renderer: Renderer, tiny_model: Path
) -> None:
    owner = await owner_and_collection(isolated, str(tiny_model))
    document = await upload_pdf(isolated, renderer, owner, "r.pdf", 4)
    flapping = Flapping(create_app(lambda: Engine(str(tiny_model), EngineOptions(device="cpu"))))
    with serve_in_thread(flapping) as url:
        # One batch at a time, so that each batch's first call is refused and its retry not.
        embedder = HttpEmbedder(
            url, model_name=str(tiny_model), attempts=3, initial_wait=0.01, concurrency=1
        )
        ingestor = Ingestor(isolated, embedder, renderer, batch_pages=1)  # 4 calls, 4 refusals
        await ingestor.process(document.owner_id, document.id)  # type: ignore[arg-type]
        await embedder.aclose()
    assert flapping.calls == 8
    assert await state(isolated, document.id) == ("READY", 1.0, None, 4, 4)  # type: ignore[arg-type]


async def test_an_empty_collection_adopts_the_model_that_embeds_it(
    isolated: Database, renderer: Renderer, tiny_model: Path
) -> None:
    # Created under the default name; the server runs a local copy under its path.
    owner = await owner_and_collection(isolated, "vidore/colSmol-256M")
    document = await upload_pdf(isolated, renderer, owner, "r.pdf", 1)
    working = LocalEmbedder(str(tiny_model), EngineOptions(device="cpu"))
    await Ingestor(isolated, working, renderer).process(document.owner_id, document.id)  # type: ignore[arg-type]
    assert (await state(isolated, document.id))[0] == "READY"  # type: ignore[arg-type]
    async with isolated.session() as session:
        model = await session.scalar(text("SELECT model FROM collections WHERE name = 'docs'"))
    assert model == str(tiny_model)


async def test_model_mismatch_fails_with_both_names_and_writes_nothing(
    isolated: Database, renderer: Renderer, tiny_model: Path
) -> None:
    owner = await owner_and_collection(isolated, str(tiny_model))
    first = await upload_pdf(isolated, renderer, owner, "first.pdf", 2)
    working = LocalEmbedder(str(tiny_model), EngineOptions(device="cpu"))
    await Ingestor(isolated, working, renderer).process(first.owner_id, first.id)  # type: ignore[arg-type]
    # The collection's vectors now count as another model's: as after a server switched models.
    async with isolated.transaction() as session:
        await session.execute(text("UPDATE collections SET model = 'vidore/colqwen2-v1.0'"))
    second = await upload_pdf(isolated, renderer, owner, "second.pdf", 3)
    await Ingestor(isolated, working, renderer).process(second.owner_id, second.id)  # type: ignore[arg-type]
    status, _, error, pages, _ = await state(isolated, second.id)  # type: ignore[arg-type]
    assert (status, pages) == ("FAILED", 0)
    assert error is not None and "vidore/colqwen2-v1.0" in error and str(tiny_model) in error
    assert (await state(isolated, first.id))[3] == 2  # type: ignore[arg-type]


class InFlight:
    """ASGI middleware: the most embedding requests the service has held at once."""

    def __init__(self, app: ASGIApp) -> None:
        self.app, self.now, self.most = app, 0, 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/embed"):
            await self.app(scope, receive, send)
            return
        self.now += 1
        self.most = max(self.most, self.now)
        try:
            await self.app(scope, receive, send)
        finally:
            self.now -= 1


@pytest.mark.parametrize(("pool_factor", "remote"), [(1, False), (2, False), (1, True)])
async def test_each_page_stores_its_own_embedding_across_batches(
    isolated: Database, renderer: Renderer, tiny_model: Path, pool_factor: int, remote: bool
) -> None:
    """Batches go to a remote service several at once, and each is encoded while the rest
    are embedded: every page still gets its own vectors, pooled by the collection's factor,
    in page order, the last short batch too."""
    owner = await owner_and_collection(isolated, str(tiny_model))
    async with isolated.transaction() as session:
        await session.execute(text("UPDATE collections SET pool_factor = :f"), {"f": pool_factor})
    document = await upload_pdf(isolated, renderer, owner, "r.pdf", 5)
    service = InFlight(create_app(lambda: Engine(str(tiny_model), EngineOptions(device="cpu"))))
    with ExitStack() as stack:
        embedder: LocalEmbedder | HttpEmbedder = LocalEmbedder(
            str(tiny_model), EngineOptions(device="cpu")
        )
        if remote:
            url = stack.enter_context(serve_in_thread(service))
            embedder = HttpEmbedder(url, model_name=str(tiny_model), concurrency=3)
        ingestor = Ingestor(isolated, embedder, renderer, batch_pages=2)  # batches of 2, 2, 1
        await ingestor.process(owner.id, document.id)  # type: ignore[arg-type]
        async with isolated.session() as session:
            rows = (
                await session.execute(
                    text(
                        "SELECT p.image, e.vectors, e.token_count, e.patch_rows FROM pages p"
                        " JOIN page_embeddings e ON e.owner_id = p.owner_id AND e.page_id = p.id"
                        " WHERE p.owner_id = :o AND p.document_id = :d ORDER BY p.number"
                    ),
                    {"o": owner.id, "d": document.id},
                )
            ).all()
        assert len(rows) == 5
        expected: list[vectors.EncodedPage] = []
        for start in (0, 2, 4):  # the worker's batches: the same inputs give the same outputs
            found, _ = await embedder.embed_pages([row.image for row in rows[start : start + 2]])
            expected += [vectors.encode(pool_tokens(v, pool_factor)) for v in found]
        await embedder.aclose()
    assert [bytes(row.vectors) for row in rows] == [e.vectors for e in expected]
    assert [row.token_count for row in rows] == [e.token_count for e in expected]
    # Pooled tokens are clusters, not patches: no grid for similarity maps.
    assert all((row.patch_rows is None) == (pool_factor > 1) for row in rows)
    if remote:
        assert service.most > 1  # the batches were with the service together


async def test_a_failed_batch_fails_the_document_and_leaves_no_stray_task(
    isolated: Database,
    renderer: Renderer,
    tiny_model: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Four batches sent together to a service that is down: the document ends FAILED with
    the service's error, nothing is stored, and no batch's error is left unretrieved."""
    owner = await owner_and_collection(isolated, str(tiny_model))
    document = await upload_pdf(isolated, renderer, owner, "r.pdf", 4)
    down = HttpEmbedder(
        f"http://127.0.0.1:{_free_port()}", model_name=str(tiny_model), attempts=1, concurrency=4
    )
    await Ingestor(isolated, down, renderer, batch_pages=1).process(owner.id, document.id)  # type: ignore[arg-type]
    await down.aclose()
    status, _, error, pages, _ = await state(isolated, document.id)  # type: ignore[arg-type]
    assert (status, pages) == ("FAILED", 0) and error is not None and "unavailable" in error
    await asyncio.sleep(0)
    gc.collect()  # asyncio reports a failed task nobody awaited when it is collected
    assert "exception was never retrieved" not in caplog.text


def start_worker(url: str, tiny_model: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "EMBEDDINGS_MODEL": str(tiny_model),
        "EMBEDDINGS_DEVICE": "cpu",
        "PALIAPI_JOB_HEARTBEAT_S": "2",
        "PALIAPI_EMBED_BATCH_PAGES": "2",
        "PALIAPI_RENDER_MAX_PIXELS": "200000",
    }
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "app.cli", "worker"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


async def test_sigkill_mid_document_is_picked_up_after_restart(
    isolated: Database, isolated_url: str, renderer: Renderer, tiny_model: Path, tmp_path: Path
) -> None:
    owner = await owner_and_collection(isolated, str(tiny_model))
    document = await upload_pdf(isolated, renderer, owner, "long.pdf", 40)
    log = tmp_path / "worker.log"
    worker = start_worker(isolated_url, tiny_model, log)
    try:
        deadline = time.monotonic() + 120
        while True:  # wait until it is embedding: pages rendered, nothing written yet
            status, progress, _, pages, _ = await state(isolated, document.id)  # type: ignore[arg-type]
            if status == "PROCESSING" and progress > 0.35:
                break
            assert status != "READY", "the worker finished before it could be killed"
            assert time.monotonic() < deadline, log.read_text()
            await asyncio.sleep(0.01)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    finally:
        if worker.poll() is None:
            worker.kill()
    status, progress, _, pages, _ = await state(isolated, document.id)  # type: ignore[arg-type]
    assert (status, pages) == ("PROCESSING", 0)  # killed mid-way: nothing half-written

    restarted = start_worker(isolated_url, tiny_model, log)
    try:
        deadline = time.monotonic() + 120
        while (await state(isolated, document.id))[0] != "READY":  # type: ignore[arg-type]
            assert restarted.poll() is None and time.monotonic() < deadline, log.read_text()
            await asyncio.sleep(0.1)
    finally:
        restarted.send_signal(signal.SIGTERM)
        restarted.wait(timeout=30)
    assert await state(isolated, document.id) == ("READY", 1.0, None, 40, 40)  # type: ignore[arg-type]
