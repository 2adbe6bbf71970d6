"""The self-hosted embedding server over real HTTP, with the tiny model."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np
import pytest

from gpu import wire
from gpu.engine import Engine, EngineOptions
from gpu.server import create_app
from tests.conftest import serve_in_thread
from tests.gpu.test_engine import PAGES

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def embedding_server(tiny_model: Path) -> Iterator[str]:
    app = create_app(lambda: Engine(str(tiny_model), EngineOptions(device="cpu")), token=TOKEN)
    with serve_in_thread(app) as url:
        yield url


def test_health_reports_model_dim_device(embedding_server: str, tiny_model: Path) -> None:
    health = httpx.get(f"{embedding_server}/health").json()
    assert health["status"] == "ok"
    assert (health["model"], health["dim"], health["device"]) == (str(tiny_model), 128, "cpu")


def test_round_trip_matches_the_engine(embedding_server: str, tiny_model: Path) -> None:
    engine = Engine(str(tiny_model), EngineOptions(device="cpu"))
    headers = {"Authorization": f"Bearer {TOKEN}"}
    response = httpx.post(
        f"{embedding_server}/embed/images",
        files=[("images", (f"{i}.png", page, "image/png")) for i, page in enumerate(PAGES)],
        headers=headers,
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == wire.CONTENT_TYPE
    for got, want in zip(wire.decode(response.content), engine.embed_images(PAGES), strict=True):
        assert got.shape == want.shape
        assert np.abs(got.astype(np.float32) - want.astype(np.float32)).max() < 2e-3
    queries = httpx.post(
        f"{embedding_server}/embed/queries", json={"queries": ["a", "b c"]}, headers=headers
    )
    assert [v.shape[1] for v in wire.decode(queries.content)] == [128, 128]


def test_token_is_required(embedding_server: str) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        response = httpx.post(
            f"{embedding_server}/embed/queries", json={"queries": ["a"]}, headers=headers
        )
        assert response.status_code == 401


def test_bad_requests_are_400_with_a_reason(embedding_server: str) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    not_image = httpx.post(
        f"{embedding_server}/embed/images",
        files=[("images", ("x", b"not an image", "image/png"))],
        headers=headers,
    )
    assert not_image.status_code == 400 and "not a readable image" in not_image.json()["error"]
    no_files = httpx.post(f"{embedding_server}/embed/images", data={"x": "1"}, headers=headers)
    assert no_files.status_code == 400
    bodies: list[dict[str, object]] = [{"queries": "text"}, {"queries": [1]}, {"q": []}]
    for body in bodies:
        assert (
            httpx.post(f"{embedding_server}/embed/queries", json=body, headers=headers).status_code
            == 400
        )
    garbage = httpx.post(f"{embedding_server}/embed/queries", content=b"{", headers=headers)
    assert garbage.status_code == 400


def test_requests_take_turns_with_other_callers_of_the_engine(tiny_model: Path) -> None:
    """Requests share the engine's turns with its other callers (the Modal class's methods):
    while another caller's forward pass runs, a request waits."""
    engine = Engine(str(tiny_model), EngineOptions(device="cpu"))
    app = create_app(lambda: engine)
    with serve_in_thread(app) as url, ThreadPoolExecutor(1) as pool:
        with engine.turns.turn(query=False):  # a page batch of the other caller
            answer = pool.submit(httpx.post, f"{url}/embed/queries", json={"queries": ["q"]})
            with pytest.raises(TimeoutError):
                answer.result(timeout=1)
        assert answer.result(timeout=30).status_code == 200
