"""The engine on a real (tiny, random) colpali-engine checkpoint loaded by path."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from gpu.engine import CPU_TOKEN_BUDGET, Engine, EngineOptions, detect_family
from gpu.turns import Turns
from tests.gpu.test_turns import until


def png(width: int, height: int, color: str = "white") -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (width, height), color)
    for x in range(0, width, 7):  # some structure, so tokens differ
        image.putpixel((x, (x * 3) % height), (0, 0, 0))
    image.save(buffer, format="PNG")
    return buffer.getvalue()


PAGES = [png(200, 300), png(60, 60, "black"), png(800, 600, "gray"), png(120, 500)]


@pytest.fixture(scope="module")
def engine(tiny_model: Path) -> Engine:
    return Engine(str(tiny_model), EngineOptions(device="cpu"))


@pytest.mark.parametrize(
    ("config", "name", "family"),
    [
        ({"architectures": ["ColQwen2_5"]}, "x", "colqwen2_5"),
        ({"architectures": ["ColIdefics3"]}, "x", "colidefics3"),
        ({"model_type": "paligemma"}, "x", "colpali"),
        ({}, "vidore/colqwen2.5-v0.2", "colqwen2_5"),
        ({}, "vidore/colqwen2-v1.0", "colqwen2"),
        ({}, "vidore/colSmol-256M", "colidefics3"),
        ({}, "vidore/colpali-v1.3", "colpali"),
    ],
)
def test_family_detection(
    tmp_path: Path, config: dict[str, object], name: str, family: str
) -> None:
    if config:
        (tmp_path / "config.json").write_text(json.dumps(config))
        assert detect_family(str(tmp_path)) == family
    else:
        assert detect_family(name) == family


def test_unknown_family_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="cannot tell which colpali-engine family"):
        detect_family("someone/unrelated-model")


def test_loads_by_path_and_describes_itself(engine: Engine, tiny_model: Path) -> None:
    assert engine.describe() == {
        "model": str(tiny_model),
        "family": "colqwen2",
        "dim": 128,
        "device": "cpu",
        "dtype": "float32",
        "token_budget": CPU_TOKEN_BUDGET,
        "pool_factor": 1,
    }


def test_images_become_unpadded_float16_multivectors(engine: Engine) -> None:
    vectors = engine.embed_images(PAGES)
    assert len(vectors) == len(PAGES)
    for v, page in zip(vectors, PAGES, strict=True):
        assert v.dtype == np.float16 and v.shape[1] == 128
        assert not np.isnan(v).any()
        # Every real token is L2-normalised; a padded (zero/NaN) row would not be.
        assert np.allclose(np.linalg.norm(v.astype(np.float32), axis=1), 1.0, atol=1e-2)
        assert v.shape[0] <= engine.estimate_tokens(Image.open(io.BytesIO(page)))
    assert len({v.shape[0] for v in vectors}) > 1  # different sizes, different token counts


def test_batching_does_not_change_results(engine: Engine, tiny_model: Path) -> None:
    together = Engine(
        str(tiny_model), EngineOptions(device="cpu", token_budget=1_000_000)
    ).embed_images(PAGES)
    alone = [engine.embed_images([page])[0] for page in PAGES]
    one_per_batch = Engine(
        str(tiny_model), EngineOptions(device="cpu", token_budget=1)
    ).embed_images(PAGES)
    for a, b, c in zip(together, alone, one_per_batch, strict=True):
        assert a.shape == b.shape == c.shape
        assert np.abs(a.astype(np.float32) - b.astype(np.float32)).max() < 2e-3
        assert np.abs(a.astype(np.float32) - c.astype(np.float32)).max() < 2e-3


def test_a_query_waits_for_one_forward_pass_not_a_whole_request(tiny_model: Path) -> None:
    """A page request that takes several forward passes: a query that comes during the
    first one runs right after it, before the request's other passes (on a CPU, a search
    waits for a page or two, not for a batch of 16)."""
    engine = Engine(str(tiny_model), EngineOptions(device="cpu", token_budget=1))  # a page a pass
    passes: list[str] = []
    searcher = threading.Thread(target=lambda: engine.embed_queries(["revenue"]))

    class Recorded(Turns):
        @contextmanager
        def turn(self, *, query: bool) -> Iterator[None]:
            with super().turn(query=query):
                passes.append("query" if query else "pages")
                if passes == ["pages"]:  # the request's first pass: a search comes
                    searcher.start()
                    until(lambda: self.waiting[True] == 1)
                yield

    engine.turns = Recorded()
    assert len(engine.embed_images(PAGES)) == len(PAGES)
    searcher.join(30)
    assert passes == ["pages", "query"] + ["pages"] * (len(PAGES) - 1)


def test_queries(engine: Engine) -> None:
    short, long = engine.embed_queries(
        ["revenue", "what was the revenue growth of the alpha team in 2024"]
    )
    assert short.shape[0] < long.shape[0]
    assert not np.isnan(short).any() and not np.isnan(long).any()
    again = engine.embed_queries(["revenue"])[0]
    assert np.abs(short.astype(np.float32) - again.astype(np.float32)).max() < 2e-3  # padded or not


def test_token_pooling_shrinks_pages(engine: Engine, tiny_model: Path) -> None:
    pooled = Engine(str(tiny_model), EngineOptions(device="cpu", pool_factor=3)).embed_images(PAGES)
    full = engine.embed_images(PAGES)
    for p, f in zip(pooled, full, strict=True):
        assert p.shape[0] == max(f.shape[0] // 3, 1) or p.shape[0] < f.shape[0]
        assert p.dtype == np.float16


def test_scores_match_colpali_engine(engine: Engine) -> None:
    pages = engine.embed_images(PAGES)
    queries = engine.embed_queries(["revenue", "budget of the team"])
    # One page per call: colpali-engine zero-pads a list of pages, and a zero row would win
    # the max for a query token whose every real dot product is negative.
    reference = np.hstack(
        [
            engine.processor.score_multi_vector(
                [torch.from_numpy(q.astype(np.float32)) for q in queries],
                [torch.from_numpy(p.astype(np.float32))],
                device="cpu",
            ).numpy()
            for p in pages
        ]
    )
    mine = np.array(
        [
            [(q.astype(np.float32) @ p.astype(np.float32).T).max(axis=1).sum() for p in pages]
            for q in queries
        ]
    )
    assert np.allclose(mine, reference, rtol=1e-4)


def test_pages_come_with_the_patch_grid_the_processor_made(engine: Engine) -> None:
    vectors, grids = engine.embed_pages(PAGES)
    assert [v.shape for v in vectors] == [v.shape for v in engine.embed_images(PAGES)]
    image_token = engine.processor.image_token_id
    for page, vectors_, grid in zip(PAGES, vectors, grids, strict=True):
        assert grid is not None
        inputs = engine.processor.process_images([Image.open(io.BytesIO(page)).convert("RGB")])
        _, height, width = (int(v) for v in inputs["image_grid_thw"][0])
        merge = engine.processor.image_processor.merge_size
        assert (grid.rows, grid.columns) == (height // merge, width // merge)
        ids = inputs["input_ids"][0][inputs["attention_mask"][0].bool()]
        patches = ids[grid.offset : grid.offset + grid.rows * grid.columns]
        assert bool((patches == image_token).all())
        assert grid.offset + grid.rows * grid.columns <= vectors_.shape[0]
    wide, tall = grids[2], grids[4 - 1]
    assert wide is not None and tall is not None
    assert wide.columns > wide.rows and tall.rows > tall.columns  # 800 x 600, 120 x 500


def test_pooled_pages_have_no_grid(tiny_model: Path) -> None:
    pooled = Engine(str(tiny_model), EngineOptions(device="cpu", pool_factor=3))
    _, grids = pooled.embed_pages(PAGES[:2])
    assert grids == [None, None]


def test_queries_come_with_one_token_string_per_vector(engine: Engine) -> None:
    vectors, tokens = engine.embed_queries_with_tokens(["revenue growth", "the budget"])
    assert [len(t) for t in tokens] == [v.shape[0] for v in vectors]
    assert "".join(tokens[0]).startswith("revenue growth")
