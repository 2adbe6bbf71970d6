"""A new user's first hour, on a database of its own: weights that cannot be fetched end the
document FAILED with the ways out, /healthz says why, and after pointing EMBEDDINGS_MODEL at a
local checkpoint and restarting, `retryDocument` takes the same document to READY and search
finds it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from app.db import migrate
from app.db.embedded import start_embedded_postgres
from app.db.engine import Database
from app.main import create_app
from app.settings import settings
from tests import files
from tests.conftest import Api, make_user, run_in_thread, serve_in_thread
from tests.resolvers.test_uploads import UPLOAD

MISSING_MODEL = "paliapi-tests/no-such-model"  # never on the Hub: fails fast, online or not


@pytest.fixture(scope="module")
def first_hour_url(data_dir: Path) -> str:
    url = start_embedded_postgres(data_dir, database="first_hour_tests")
    migrate.upgrade(url)
    return url


@contextmanager
def api_server(url: str, model: str) -> Iterator[httpx.Client]:
    """`paliapi serve` as a user starts it: the in-process worker, the model warming up."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "embeddings_model", model)
        patch.setattr(settings, "embeddings_device", "cpu")
        with (
            serve_in_thread(create_app(url, worker=True)) as base,
            httpx.Client(base_url=base, timeout=60) as client,
        ):
            yield client


async def newcomer(url: str) -> tuple[object, str]:
    db = Database(url, pool_size=1)
    try:
        return await make_user(db, "newcomer")
    finally:
        await db.dispose()


def wait_for_health(client: httpx.Client, state: str) -> dict[str, str]:
    deadline = time.monotonic() + 120
    while True:
        health: dict[str, str] = client.get("/healthz").json()
        if health["embeddings"].startswith(state) or time.monotonic() > deadline:
            return health
        time.sleep(0.1)


def test_unfetchable_weights_fail_clearly_then_retry_succeeds(
    first_hour_url: str, tiny_model: Path
) -> None:
    _, token = run_in_thread(newcomer(first_hour_url))
    with api_server(first_hour_url, MISSING_MODEL) as client:
        api = Api(client, token)
        health = wait_for_health(client, "unavailable")
        assert health["status"] == "degraded" and health["database"] == "ok"
        assert health["embeddings"].startswith(
            f"unavailable: Could not load the embedding model {MISSING_MODEL!r}"
        )
        assert health["worker"] == "running"

        api.data('mutation { createCollection(input: {name: "docs"}) { name } }')
        body = api.upload(
            UPLOAD,
            {"name": "q3.pdf", "file": None, "wait": True},
            {"file": ("q3.pdf", files.pdf(2))},
        )
        document = body["data"]["uploadDocument"]
        assert document["status"] == "FAILED" and document["pageCount"] == 0
        for way_out in (
            "EMBEDDINGS_MODEL",
            "HF_HUB_OFFLINE",
            "EMBEDDINGS_BACKEND",
            MISSING_MODEL,
            "retryDocument",
        ):
            assert way_out in document["error"]
        assert client.get("/healthz").status_code == 200  # the server stays up

    # The cause fixed: a local checkpoint (saved with save_pretrained), and a restart.
    with api_server(first_hour_url, str(tiny_model)) as client:
        api = Api(client, token)
        assert wait_for_health(client, "ready")["status"] == "ok"
        retried = api.data(
            'mutation { retryDocument(collectionName: "docs", name: "q3.pdf") { status } }'
        )
        assert retried["retryDocument"]["status"] == "PENDING"
        deadline = time.monotonic() + 120
        while (
            status := api.data(
                '{ document(collectionName: "docs", name: "q3.pdf") { status pageCount error } }'
            )["document"]
        )["status"] != "READY":
            assert status["status"] != "FAILED" and time.monotonic() < deadline, status
            time.sleep(0.2)
        assert status["pageCount"] == 2
        found = api.data(
            'query { search(input: {query: "revenue", collectionName: "docs", topK: 2}) '
            "{ results { rank page { number } document { name } collection { name model } } } }"
        )["search"]["results"]
        assert [r["document"]["name"] for r in found] == ["q3.pdf", "q3.pdf"]
        assert {r["page"]["number"] for r in found} == {1, 2}
        assert found[0]["collection"]["model"] == str(tiny_model)  # adopted: it had no vectors
