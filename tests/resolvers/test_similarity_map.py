"""`SearchResult.similarityMap`: per query token and patch, from the stored vectors, on the
grid the model saw; only for VISUAL text queries, and only when the field is selected."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import text
from starlette.applications import Starlette

from app.db import vectors
from app.db.engine import Database
from gpu.engine import Engine, EngineOptions
from tests import files
from tests.conftest import Api
from tests.resolvers.test_collections import create
from tests.resolvers.test_search import upload

QUERY = "revenue growth in quarter 2"
SEARCH = """query($input: SearchInput!) {
  search(input: $input) {
    results { page { id } similarityMap { rows columns tokens values } }
  }
}"""
PLAIN = "query($input: SearchInput!) { search(input: $input) { results { score } } }"


def _maps(api: Api, **input: Any) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = api.data(SEARCH, {"input": input})["search"]["results"]
    return results


async def test_the_map_matches_the_stored_vectors(
    alice: Api, db: Database, tiny_model: Path
) -> None:
    create(alice, "reports")
    upload(alice, "reports", "r.pdf", files.pdf(2, title="Quarterly"))
    results = _maps(alice, query=QUERY, topK=2)
    assert len(results) == 2
    engine = Engine(str(tiny_model), EngineOptions(device="cpu"))
    [query], [tokens] = engine.embed_queries_with_tokens([QUERY])
    for result in results:
        found = result["similarityMap"]
        assert found["tokens"] == tokens  # as the model saw them, one per query vector
        assert len(found["values"]) == len(tokens)
        assert all(len(row) == found["rows"] * found["columns"] for row in found["values"])
        async with db.session() as session:
            row = (
                await session.execute(
                    text(
                        "SELECT vectors, dim, patch_offset, patch_rows, patch_columns"
                        " FROM page_embeddings WHERE page_id = :id"
                    ),
                    {"id": int(base64.b64decode(result["page"]["id"]).split(b":")[1])},
                )
            ).one()
        assert (row.patch_rows, row.patch_columns) == (found["rows"], found["columns"])
        page = vectors.decode(row.vectors, row.dim)
        patches = page[row.patch_offset : row.patch_offset + row.patch_rows * row.patch_columns]
        expected = query.astype(np.float32) @ patches.T
        assert np.allclose(found["values"], expected, atol=1e-3)


def test_only_visual_text_searches_have_maps(alice: Api) -> None:
    create(alice, "reports")
    upload(alice, "reports", "r.pdf", files.pdf(1, title="Quarterly"))
    for mode in ("TEXT", "HYBRID"):
        assert all(r["similarityMap"] is None for r in _maps(alice, query="revenue", mode=mode))
    image = files.image("PNG", (200, 280))
    by_image = _maps(alice, imageBase64=base64.b64encode(image).decode())
    assert by_image and all(r["similarityMap"] is None for r in by_image)


def test_maps_are_computed_only_when_selected(alice: Api, server_app: Starlette) -> None:
    create(alice, "reports")
    upload(alice, "reports", "r.pdf", files.pdf(2, title="Quarterly"))
    embedder = server_app.state.embedder
    alice.data(PLAIN, {"input": {"query": QUERY, "topK": 2}})  # the query is now cached
    before = embedder.hits
    alice.data(PLAIN, {"input": {"query": QUERY, "topK": 2}})
    assert embedder.hits - before == 1  # the search's own embedding, nothing more
    before = embedder.hits
    assert len(_maps(alice, query=QUERY, topK=2)) == 2
    assert embedder.hits - before == 1 + 2  # and one cached lookup per map
