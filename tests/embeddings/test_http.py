"""The http client against real servers that fail on purpose: retries, timeouts, clear errors."""

from __future__ import annotations

import asyncio
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

    async def endpoint(self, request: Request) -> Response:
        self.calls += 1
        if self.calls <= self.failures:
            if self.sleep:
                await asyncio.sleep(self.sleep)
            return JSONResponse({"error": "nope"}, status_code=self.status)
        return Response(wire.encode(VECTORS), media_type=wire.CONTENT_TYPE)


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
    return state


def client(url: str, **kwargs: float) -> HttpEmbedder:
    options = {"timeout": 2.0, "attempts": 4, "initial_wait": 0.01, **kwargs}
    return HttpEmbedder(url, model_name="m", **options)  # type: ignore[arg-type]


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
