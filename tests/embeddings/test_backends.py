"""The three backends (local, http, modal) return the same vectors for the same inputs."""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from app.embeddings.cache import CachedEmbedder
from app.embeddings.factory import make_embedder
from app.embeddings.http import HttpEmbedder
from app.embeddings.local import LocalEmbedder
from app.embeddings.modal import ModalEmbedder
from app.errors import ErrorCode, PaliError
from app.settings import Settings
from gpu import wire
from gpu.engine import Engine, EngineOptions
from gpu.server import create_app
from tests.conftest import serve_in_thread
from tests.gpu.test_engine import PAGES

QUERIES = ["revenue growth", "who owns the budget", "revenue growth"]


@pytest.fixture
def modal_app(tiny_model: Path) -> Iterator[ModuleType]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EMBEDDINGS_MODEL", str(tiny_model))
        sys.modules.pop("gpu.modal_app", None)
        yield importlib.import_module("gpu.modal_app")
    sys.modules.pop("gpu.modal_app", None)


def max_diff(a: list[wire.MultiVector], b: list[wire.MultiVector]) -> float:
    assert [x.shape for x in a] == [y.shape for y in b]
    return max(
        float(np.abs(x.astype(np.float32) - y.astype(np.float32)).max())
        for x, y in zip(a, b, strict=True)
    )


async def test_local_http_and_modal_agree(tiny_model: Path, modal_app: ModuleType) -> None:
    local = LocalEmbedder(str(tiny_model), EngineOptions(device="cpu"))
    local_pages = await local.embed_images(PAGES)
    local_queries = await local.embed_queries(QUERIES)

    server = create_app(lambda: Engine(str(tiny_model), EngineOptions(device="cpu")))
    with serve_in_thread(server) as url:
        http = HttpEmbedder(url, model_name=str(tiny_model))
        http_pages = await http.embed_images(PAGES)
        http_queries = await http.embed_queries(QUERIES)
        await http.aclose()

    remote = modal_app.Embedder()
    modal_pages = wire.decode(remote.embed_images.local(PAGES))
    modal_queries = wire.decode(remote.embed_queries.local(QUERIES))

    assert max_diff(local_pages, http_pages) == 0.0  # same engine, lossless wire
    assert max_diff(local_queries, http_queries) == 0.0
    assert max_diff(local_pages, modal_pages) == 0.0
    assert max_diff(local_queries, modal_queries) == 0.0
    assert remote.describe.local()["model"] == str(tiny_model)


async def test_grids_and_token_strings_reach_the_api_from_every_backend(
    tiny_model: Path, modal_app: ModuleType
) -> None:
    local = LocalEmbedder(str(tiny_model), EngineOptions(device="cpu"))
    _, grids = await local.embed_pages(PAGES)
    queries = await local.embed_query_tokens(QUERIES[:2])
    assert all(grid is not None for grid in grids)
    assert all(q.tokens and len(q.tokens) == q.vectors.shape[0] for q in queries)

    server = create_app(lambda: Engine(str(tiny_model), EngineOptions(device="cpu")))
    with serve_in_thread(server) as url:
        http = HttpEmbedder(url, model_name=str(tiny_model))
        assert (await http.embed_pages(PAGES))[1] == grids
        assert [q.tokens for q in await http.embed_query_tokens(QUERIES[:2])] == [
            q.tokens for q in queries
        ]
        await http.aclose()

    remote = modal_app.Embedder()
    pages_payload = remote.embed_images.local(PAGES)
    queries_payload = remote.embed_queries.local(QUERIES[:2])
    assert wire.decode_grids(wire.metadata(pages_payload), len(PAGES)) == grids
    assert wire.decode_tokens(wire.metadata(queries_payload), 2) == [q.tokens for q in queries]


async def test_query_cache_hits_on_repeats(tiny_model: Path) -> None:
    inner = LocalEmbedder(str(tiny_model), EngineOptions(device="cpu"))
    cached = CachedEmbedder(inner, size=16)
    first = await cached.embed_queries(QUERIES)  # the repeat inside one call is a hit too
    assert (cached.hits, cached.misses) == (1, 2)
    for _ in range(7):
        again = await cached.embed_queries(QUERIES)
        assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert (cached.hits, cached.misses) == (22, 2)
    assert cached.hit_rate == pytest.approx(22 / 24)
    with pytest.raises(ValueError, match="read-only"):
        again[0][0, 0] = 1  # cached arrays are shared, so they are frozen


async def test_local_backend_with_a_missing_model_is_unavailable(tmp_path: Path) -> None:
    embedder = LocalEmbedder(
        str(tmp_path / "no-such-model"), EngineOptions(device="cpu", family="colqwen2")
    )
    with pytest.raises(PaliError) as info:
        await embedder.embed_queries(["q"])
    assert info.value.code is ErrorCode.EMBEDDINGS_UNAVAILABLE
    assert "no-such-model" in info.value.message


async def test_modal_backend_without_credentials_is_unavailable_not_a_hang() -> None:
    embedder = ModalEmbedder("paliapi-embeddings", model_name="m", timeout=5, attempts=2)
    started = time.monotonic()
    with pytest.raises(PaliError) as info:
        await embedder.embed_queries(["q"])
    assert info.value.code is ErrorCode.EMBEDDINGS_UNAVAILABLE
    assert "paliapi-embeddings" in info.value.message
    assert time.monotonic() - started < 15


def test_factory_picks_the_configured_backend() -> None:
    assert isinstance(make_embedder(Settings(EMBEDDINGS_BACKEND="local")).inner, LocalEmbedder)
    http = make_embedder(Settings(EMBEDDINGS_BACKEND="http", EMBEDDINGS_URL="http://gpu:8001"))
    assert isinstance(http.inner, HttpEmbedder)
    assert isinstance(make_embedder(Settings(EMBEDDINGS_BACKEND="modal")).inner, ModalEmbedder)
    with pytest.raises(PaliError, match="EMBEDDINGS_URL"):
        make_embedder(Settings(EMBEDDINGS_BACKEND="http"))


def test_default_models_follow_backend_and_device() -> None:
    assert Settings(EMBEDDINGS_BACKEND="local").model_name == "vidore/colSmol-256M"
    assert (
        Settings(EMBEDDINGS_BACKEND="local", EMBEDDINGS_DEVICE="cuda").model_name
        == "vidore/colqwen2.5-v0.2"
    )
    assert Settings(EMBEDDINGS_BACKEND="modal").model_name == "vidore/colqwen2.5-v0.2"
    assert Settings(EMBEDDINGS_MODEL="/models/mine").model_name == "/models/mine"
