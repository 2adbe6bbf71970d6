"""The http client against real servers that fail on purpose: retries, timeouts, clear errors."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.embeddings.http import HttpEmbedder
from app.errors import ErrorCode, PaliError
from gpu import wire
from tests.conftest import _free_port, serve_in_thread

VECTORS = [np.ones((3, 128), dtype=np.float16)]


class Flaky:
    """Fails the first `failures` calls with `status` (or by sleeping), then answers."""

    def __init__(self) -> None:
        self.calls = 0
        self.failures = 0
        self.status = 503
        self.sleep = 0.0
        self.model: str | None = None  # what the service says it runs
        self.plain_text = False  # errors as a proxy would send them, not as JSON

    async def endpoint(self, request: Request) -> Response:
        self.calls += 1
        if self.calls <= self.failures:
            if self.sleep:
                await asyncio.sleep(self.sleep)
            if self.plain_text:
                return Response("<html>nope</html>", status_code=self.status)
            return JSONResponse({"error": "nope"}, status_code=self.status)
        metadata = {"model": self.model} if self.model else {}
        return Response(wire.encode(VECTORS, **metadata), media_type=wire.CONTENT_TYPE)


@pytest.fixture(scope="module")
def flaky_server() -> Iterator[tuple[str, Flaky]]:
    flaky = Flaky()
    app = Starlette(
        routes=[
            Route("/embed/queries", flaky.endpoint, methods=["POST"]),
            Route("/embed/images", flaky.endpoint, methods=["POST"]),
        ]
    )
    with serve_in_thread(app) as url:
        yield url, flaky


@pytest.fixture
def flaky(flaky_server: tuple[str, Flaky]) -> Flaky:
    _, state = flaky_server
    state.calls, state.failures, state.status, state.sleep = 0, 0, 503, 0.0
    state.model, state.plain_text = None, False
    return state


def client(url: str, expected_model: str | None = None, **kwargs: float) -> HttpEmbedder:
    options = {"timeout": 2.0, "attempts": 4, "initial_wait": 0.01, **kwargs}
    return HttpEmbedder(url, model_name="m", expected_model=expected_model, **options)  # type: ignore[arg-type]


async def test_transient_failures_are_retried(
    flaky_server: tuple[str, Flaky], flaky: Flaky
) -> None:
    flaky.failures = 3
    embedder = client(flaky_server[0])
    result = await embedder.embed_queries(["q"])
    assert np.array_equal(result[0], VECTORS[0])
    assert flaky.calls == 4
    await embedder.aclose()


async def test_gives_up_with_embeddings_unavailable(
    flaky_server: tuple[str, Flaky], flaky: Flaky
) -> None:
    flaky.failures = 100
    embedder = client(flaky_server[0])
    with pytest.raises(PaliError) as info:
        await embedder.embed_images([b"png"])
    assert info.value.code is ErrorCode.EMBEDDINGS_UNAVAILABLE
    assert "after 4 attempts" in info.value.message and "HTTP 503" in info.value.message
    assert flaky.calls == 4
    await embedder.aclose()


async def test_a_hanging_service_times_out_instead_of_hanging(
    flaky_server: tuple[str, Flaky], flaky: Flaky
) -> None:
    flaky.failures, flaky.sleep = 100, 5.0
    embedder = client(flaky_server[0], timeout=0.2, attempts=2)
    started = time.monotonic()
    with pytest.raises(PaliError) as info:
        await embedder.embed_queries(["q"])
    assert info.value.code is ErrorCode.EMBEDDINGS_UNAVAILABLE and "Timeout" in info.value.message
    assert time.monotonic() - started < 3
    await embedder.aclose()


async def test_service_down_is_unavailable_quickly() -> None:
    embedder = client(f"http://127.0.0.1:{_free_port()}", attempts=2)
    with pytest.raises(PaliError) as info:
        await embedder.embed_queries(["q"])
    assert (
        info.value.code is ErrorCode.EMBEDDINGS_UNAVAILABLE and "ConnectError" in info.value.message
    )
    await embedder.aclose()


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (401, ErrorCode.EMBEDDINGS_UNAVAILABLE),
        (400, ErrorCode.BAD_USER_INPUT),
        (404, ErrorCode.EMBEDDINGS_UNAVAILABLE),
    ],
)
async def test_permanent_errors_are_not_retried(
    flaky_server: tuple[str, Flaky], flaky: Flaky, status: int, code: ErrorCode
) -> None:
    flaky.failures, flaky.status = 100, status
    embedder = client(flaky_server[0])
    with pytest.raises(PaliError) as info:
        await embedder.embed_queries(["q"])
    assert info.value.code is code
    assert flaky.calls == 1
    await embedder.aclose()


async def test_non_json_error_bodies_become_typed_errors(
    flaky_server: tuple[str, Flaky], flaky: Flaky
) -> None:
    flaky.failures, flaky.status, flaky.plain_text = 100, 400, True
    embedder = client(flaky_server[0])
    with pytest.raises(PaliError) as info:
        await embedder.embed_queries(["q"])
    assert info.value.code is ErrorCode.BAD_USER_INPUT and "nope" in info.value.message
    flaky.calls, flaky.status = 0, 404
    with pytest.raises(PaliError) as info:
        await embedder.embed_queries(["q"])
    assert info.value.code is ErrorCode.EMBEDDINGS_UNAVAILABLE and "HTTP 404" in info.value.message
    await embedder.aclose()


async def test_the_model_the_service_reports_is_adopted(
    flaky_server: tuple[str, Flaky], flaky: Flaky
) -> None:
    flaky.model = "vidore/colSmol-256M"
    embedder = client(flaky_server[0])
    assert embedder.model_name == "m"  # a guess until the service answers
    await embedder.embed_queries(["q"])
    assert embedder.model_name == "vidore/colSmol-256M"
    assert embedder.health.describe() == "ready"
    await embedder.aclose()


async def test_a_service_running_another_model_is_refused(
    flaky_server: tuple[str, Flaky], flaky: Flaky
) -> None:
    flaky.model = "vidore/colSmol-256M"
    embedder = client(flaky_server[0], expected_model="vidore/colqwen2.5-v0.2")
    with pytest.raises(PaliError) as info:
        await embedder.embed_images([b"png"])
    assert info.value.code is ErrorCode.EMBEDDINGS_UNAVAILABLE
    assert "vidore/colSmol-256M" in info.value.message
    assert "vidore/colqwen2.5-v0.2" in info.value.message
    assert embedder.health.state == "unavailable"
    assert embedder.model_name == "m"  # nothing adopted from a refused answer
    await embedder.aclose()


async def test_a_query_does_not_wait_behind_page_batches() -> None:
    """Every page slot held by a batch the service is still working on: a search's query
    still goes out at once."""
    arrived, release = threading.Event(), threading.Event()

    async def images(request: Request) -> Response:
        arrived.set()
        await asyncio.to_thread(release.wait, 10)
        return Response(wire.encode(VECTORS), media_type=wire.CONTENT_TYPE)

    async def queries(request: Request) -> Response:
        return Response(wire.encode(VECTORS), media_type=wire.CONTENT_TYPE)

    app = Starlette(
        routes=[
            Route("/embed/images", images, methods=["POST"]),
            Route("/embed/queries", queries, methods=["POST"]),
        ]
    )
    with serve_in_thread(app) as url:
        embedder = HttpEmbedder(url, model_name="m", concurrency=1, timeout=15)
        batch = asyncio.create_task(embedder.embed_pages([b"page"]))
        assert await asyncio.to_thread(arrived.wait, 5)
        [vectors] = await asyncio.wait_for(embedder.embed_queries(["q"]), 5)
        assert vectors.shape == (3, 128) and not batch.done()
        release.set()
        assert len((await batch)[0]) == 1
        await embedder.aclose()
