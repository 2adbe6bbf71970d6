"""A collection's `poolFactor`: its pages store about 1/factor of their vectors, and search
over them still works end to end."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.db.engine import Database
from tests import files
from tests.conftest import Api
from tests.resolvers.test_collections import CREATE
from tests.resolvers.test_search import search, upload

TOKENS = """
SELECT c.name, e.token_count, e.patch_rows FROM page_embeddings e
JOIN collections c ON c.id = e.collection_id ORDER BY c.name"""


async def test_pooled_pages_store_a_third_of_the_vectors(alice: Api, db: Database) -> None:
    for name, factor in (("plain", None), ("pooled", 3)):
        created = alice.data(CREATE, {"input": {"name": name, "poolFactor": factor}})
        assert created["createCollection"]["name"] == name
        upload(alice, name, "report.pdf", files.pdf(1, title="Quarterly revenue"))
    async with db.session() as session:
        rows = {r.name: r for r in (await session.execute(text(TOKENS))).all()}
    assert rows["pooled"].token_count <= rows["plain"].token_count // 3
    assert rows["pooled"].patch_rows is None  # clusters, not patches: no similarity map
    [hit] = search(alice, query="quarterly revenue", collectionName="pooled", topK=1)
    assert hit["document"]["name"] == "report.pdf" and hit["collection"]["name"] == "pooled"
    listed = alice.data('{ collection(name: "pooled") { poolFactor } }')
    assert listed["collection"]["poolFactor"] == 3


@pytest.mark.parametrize("factor", [0, 17])
def test_a_pool_factor_out_of_range_is_bad_input(alice: Api, factor: int) -> None:
    error = alice.error(CREATE, {"input": {"name": "x", "poolFactor": factor}})
    assert error["code"] == "BAD_USER_INPUT" and "poolFactor" in error["message"]
    assert alice.data("{ collections { totalCount } }")["collections"]["totalCount"] == 0
