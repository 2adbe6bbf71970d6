"""Search over real uploaded PDFs, as a client would: modes, filters, image queries, isolation.

Pages are embedded by the tiny ColQwen2 through the `local` backend, exactly as ingestion
stores them; scores are checked against colpali-engine's own MaxSim.
"""

from __future__ import annotations

import base64
import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from colpali_engine.utils.processing_utils import BaseVisualRetrieverProcessor
from sqlalchemy import text

from app.db.engine import Database
from app.db.vectors import decode
from app.settings import settings
from gpu.engine import Engine, EngineOptions
from tests import files
from tests.conftest import Api
from tests.resolvers.test_collections import create
from tests.resolvers.test_uploads import UPLOAD

SEARCH = """
query($input: SearchInput!) {
  search(input: $input) {
    query tookMs
    results {
      rank score
      page { id number text imageUrl }
      document { name metadata }
      collection { name metadata }
    }
  }
}"""
IMAGE_SEARCH = """
query($image: Upload) {
  search(input: {image: $image, topK: 1}) { results { page { number } document { name } } }
}"""


def upload(api: Api, collection: str, name: str, data: bytes, **metadata: Any) -> dict[str, Any]:
    body = api.upload(
        UPLOAD.replace('collectionName: "docs"', f'collectionName: "{collection}"'),
        {"name": name, "file": None, "wait": True, "metadata": metadata},
        {"file": (name, data)},
    )
    assert "errors" not in body, body
    document: dict[str, Any] = body["data"]["uploadDocument"]
    assert document["status"] == "READY", document
    return document


def search(api: Api, **input: Any) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = api.data(SEARCH, {"input": input})["search"]["results"]
    return results


def hits(results: list[dict[str, Any]]) -> list[tuple[str, str, int]]:
    return [(r["collection"]["name"], r["document"]["name"], r["page"]["number"]) for r in results]


def test_visual_search_returns_ranked_pages_with_document_and_collection(library: Api) -> None:
    body = library.data(SEARCH, {"input": {"query": "revenue in quarter 2"}})["search"]
    results = body["results"]
    assert body["query"] == "revenue in quarter 2" and body["tookMs"] >= 0
    assert [r["rank"] for r in results] == [1, 2, 3]  # topK defaults to 3
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    first = results[0]
    image = library.http.get(first["page"]["imageUrl"], headers=library.headers)
    assert image.status_code == 200 and image.headers["content-type"].startswith("image/")
    assert first["document"]["metadata"]["year"] in (2023, 2024)
    assert {"reports", "notes"} >= {r["collection"]["name"] for r in results}
    every = search(library, query="revenue in quarter 2", topK=20)
    assert len(every) == 7  # all pages, no more
    assert hits(every)[:3] == hits(results)


def test_filters_narrow_the_candidates(library: Api) -> None:
    query = "revenue"
    in_reports = hits(search(library, query=query, collectionName="reports", topK=10))
    assert {c for c, _, _ in in_reports} == {"reports"} and len(in_reports) == 5
    by_team = hits(search(library, query=query, collectionFilter={"team": "ops"}, topK=10))
    assert {d for _, d, _ in by_team} == {"n2024.pdf"}
    by_year = hits(search(library, query=query, documentFilter={"year": {"$gte": 2024}}, topK=10))
    assert {d for _, d, _ in by_year} == {"r2024.pdf", "n2024.pdf"} and len(by_year) == 4
    both = hits(
        search(
            library,
            query=query,
            collectionFilter={"team": "finance"},
            documentFilter={"year": 2024},
            topK=10,
        )
    )
    assert both == [h for h in by_year if h[1] == "r2024.pdf"]
    assert search(library, query=query, documentFilter={"year": 1999}) == []
    assert search(library, query=query, collectionFilter={"team": "nobody"}) == []


def test_text_and_hybrid_modes(library: Api) -> None:
    text_hits = hits(search(library, query="Budget page 2", mode="TEXT"))
    assert text_hits[0] == ("reports", "r2024.pdf", 2)
    assert hits(search(library, query="zebra", mode="TEXT")) == []
    # A question matches pages with any of its words; pages with all of them rank first.
    question = hits(search(library, query="what was the budget forecast?", mode="TEXT", topK=5))
    assert {name for _, name, _ in question} == {"r2024.pdf"}
    hybrid = search(library, query="Meeting", mode="HYBRID", topK=5)
    assert hits(hybrid)[0][0] == "notes"  # only notes pages match the text: first when fused
    assert len(hybrid) == 5 and [r["rank"] for r in hybrid] == [1, 2, 3, 4, 5]
    hybrid_notes = hits(search(library, query="Meeting", mode="HYBRID", collectionName="notes"))
    assert {c for c, _, _ in hybrid_notes} == {"notes"}


def page_image(api: Api, collection: str, name: str, number: int) -> bytes:
    query = '{ document(collectionName: "%s", name: "%s") { pages(first: 10) { edges { node { number imageBase64 } } } } }'
    edges = api.data(query % (collection, name))["document"]["pages"]["edges"]
    [image] = [e["node"]["imageBase64"] for e in edges if e["node"]["number"] == number]
    return base64.b64decode(image)


def test_image_query_finds_the_page_it_shows(library: Api) -> None:
    image = page_image(library, "reports", "r2023.pdf", 2)
    by_base64 = search(library, imageBase64=base64.b64encode(image).decode(), topK=1)
    assert hits(by_base64) == [("reports", "r2023.pdf", 2)]
    body = library.upload(IMAGE_SEARCH, {"image": None}, {"image": ("q.webp", image)})
    assert "errors" not in body, body
    [result] = body["data"]["search"]["results"]
    assert (result["document"]["name"], result["page"]["number"]) == ("r2023.pdf", 2)


@pytest.mark.parametrize(
    ("input", "message"),
    [
        ({"query": "x", "topK": 0}, "`topK` must be between 1 and 100"),
        ({"query": "x", "topK": 101}, "`topK` must be between 1 and 100"),
        ({}, "exactly one of `query`, `image` or `imageBase64`"),
        ({"query": "  "}, "exactly one of `query`, `image` or `imageBase64`"),
        ({"query": "x", "imageBase64": "aGk="}, "exactly one of"),
        ({"imageBase64": "not base64!"}, "`imageBase64` is not valid base64"),
        ({"imageBase64": base64.b64encode(b"\x89PNG\r\n\x1a\n broken").decode()}, "corrupt"),
        ({"mode": "TEXT"}, "A TEXT search needs a text `query`"),
        ({"query": "x", "documentFilter": {"year": {"$near": 1}}}, "$near"),
        ({"query": "x", "collectionFilter": {"$or": 3}}, "collectionFilter"),
    ],
)
def test_bad_input_is_a_typed_error(alice: Api, input: dict[str, Any], message: str) -> None:
    error = alice.error(SEARCH, {"input": input})
    assert error["code"] == "BAD_USER_INPUT", error
    assert message in error["message"]


def test_an_image_query_must_be_an_image(alice: Api) -> None:
    pdf = base64.b64encode(files.pdf(1)).decode()
    error = alice.error(SEARCH, {"input": {"imageBase64": pdf}})
    assert error["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert "must be a PNG, JPEG, WebP, TIFF, GIF or BMP image" in error["message"]
    bomb = base64.b64encode(files.bomb()).decode()
    error = alice.error(SEARCH, {"input": {"imageBase64": bomb}})
    assert error["code"] == "BAD_USER_INPUT" and "pixels" in error["message"]


def test_both_image_fields_are_refused(alice: Api) -> None:
    body = alice.upload(
        'query($image: Upload) { search(input: {image: $image, imageBase64: "aGk="}) { tookMs } }',
        {"image": None},
        {"image": ("q.png", files.image("PNG"))},
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_search_needs_a_token(http: Any) -> None:
    error = Api(http, None).error(SEARCH, {"input": {"query": "x"}})
    assert error["code"] == "UNAUTHENTICATED"


def test_users_never_search_each_others_pages(library: Api, bob: Api) -> None:
    assert search(bob, query="revenue", topK=10) == []
    assert search(bob, query="revenue", mode="HYBRID") == []
    assert search(bob, query="Budget", mode="TEXT") == []
    error = bob.error(SEARCH, {"input": {"query": "revenue", "collectionName": "reports"}})
    assert error["code"] == "NOT_FOUND"
    create(bob, "reports")
    upload(bob, "reports", "mine.pdf", files.pdf(1, title="Bob"))
    assert {d for _, d, _ in hits(search(bob, query="revenue", topK=10))} == {"mine.pdf"}
    assert "mine.pdf" not in {d for _, d, _ in hits(search(library, query="revenue", topK=10))}


def test_new_and_deleted_documents_show_up_at_once(library: Api) -> None:
    before = hits(search(library, query="revenue", topK=20))
    upload(library, "notes", "late.pdf", files.pdf(1, title="Late"))
    after = hits(search(library, query="revenue", topK=20))
    assert set(after) - set(before) == {("notes", "late.pdf", 1)}
    library.data('mutation { deleteDocument(collectionName: "reports", name: "r2023.pdf") }')
    remaining = hits(search(library, query="revenue", topK=20))
    assert {d for _, d, _ in remaining} == {"r2024.pdf", "n2024.pdf", "late.pdf"}
    moved = 'mutation { updateDocument(input: {collectionName: "notes", name: "late.pdf", newCollectionName: "reports"}) { name } }'
    library.data(moved)
    in_reports = hits(search(library, query="revenue", collectionName="reports", topK=20))
    assert ("reports", "late.pdf", 1) in in_reports
    library.data('mutation { deleteCollection(name: "notes") }')
    assert {c for c, _, _ in hits(search(library, query="revenue", topK=20))} == {"reports"}


def test_statements_do_not_grow_with_top_k(library: Api, statements: list[str]) -> None:
    for mode in ("VISUAL", "HYBRID"):
        counts = []
        for top_k in (2, 10):  # the library has 7 pages
            statements.clear()
            assert len(search(library, query="revenue", topK=top_k, mode=mode)) == min(top_k, 7)
            counts.append(len(statements))
        assert counts[0] == counts[1], (mode, counts)
        # auth, rate-limit take, scope, first stage, exact rerank (+ text), pages,
        # documents, collections
        assert counts[0] <= 9, [s.split()[:4] for s in statements]


def scored(results: list[dict[str, Any]]) -> dict[tuple[str, str, int], float]:
    return {hit: r["score"] for hit, r in zip(hits(results), results, strict=True)}


@pytest.mark.parametrize(
    "filters",
    [{}, {"documentFilter": {"year": 2024}}, {"collectionFilter": {"team": "finance"}}],
    ids=["unfiltered", "document-filter", "collection-filter"],
)
def test_the_first_stage_narrows_a_scope_larger_than_the_rerank(
    library: Api, monkeypatch: pytest.MonkeyPatch, filters: dict[str, Any]
) -> None:
    """Rerank 2, candidates 3: every scope here has more pages than either, so the pooled-vector
    scan and the centroid stage choose what the exact rerank sees. What comes back is
    in scope, in order, and scored exactly (the same score `exact: true` gives that page)."""
    monkeypatch.setattr(settings, "search_rerank", 2)
    monkeypatch.setattr(settings, "search_candidates", 3)
    everything = scored(search(library, query="revenue", topK=10, exact=True, **filters))
    assert len(everything) > 3
    results = search(library, query="revenue", topK=2, **filters)
    found = scored(results)
    assert len(found) == 2 and set(found) <= set(everything)
    for hit, score in found.items():
        assert score == pytest.approx(everything[hit], rel=1e-6)
    assert [r["score"] for r in results] == sorted(found.values(), reverse=True)
    # topK above the rerank widens the rerank to topK: the exact top, complete.
    assert scored(search(library, query="revenue", topK=10, **filters)) == pytest.approx(everything)


async def test_exact_scores_equal_colpali_engine(
    library: Api, db: Database, tiny_model: Path
) -> None:
    """The service's scores are colpali-engine's MaxSim over the stored page vectors."""
    query = "revenue grew in quarter 3"
    results = search(library, query=query, topK=20, exact=True)
    page_ids = [int(r["page"]["imageUrl"].split("/")[-2]) for r in results]
    async with db.session() as session:
        rows = {
            row.page_id: decode(row.vectors, row.dim)
            for row in await session.execute(
                text("SELECT page_id, dim, vectors FROM page_embeddings")
            )
        }
    engine = Engine(str(tiny_model), EngineOptions(device="cpu"))  # the server's model
    [q] = engine.embed_queries([query])
    expected = BaseVisualRetrieverProcessor.score_multi_vector(
        [torch.from_numpy(q.astype(np.float32))],
        [torch.from_numpy(rows[i]) for i in page_ids],
        device="cpu",
    )[0]
    got = torch.tensor([r["score"] for r in results])
    assert len(results) == len(rows) == 7
    assert ((got - expected).abs() / expected.abs()).max().item() < 1e-3
    assert all(a >= b - 1e-5 for a, b in itertools.pairwise(expected.tolist()))


async def test_a_collection_of_another_model_is_a_conflict(alice: Api, db: Database) -> None:
    from tests.conftest import add_document

    create(alice, "old")
    await add_document(db, owner_name="alice", collection="old", name="d", pages=2)
    async with db.transaction() as session:
        await session.execute(text("UPDATE collections SET model = 'vidore/colpali-v1.3'"))
    error = alice.error('query { search(input: {query: "q", collectionName: "old"}) { tookMs } }')
    assert error["code"] == "CONFLICT"
    assert "vidore/colpali-v1.3" in error["message"] and "EMBEDDINGS_MODEL" in error["message"]
    create(alice, "empty")  # no pages yet: nothing to mix, so nothing to refuse
    async with db.transaction() as session:
        await session.execute(
            text("UPDATE collections SET model = 'vidore/colpali-v1.3' WHERE name = 'empty'")
        )
    found = alice.data(
        'query { search(input: {query: "q", collectionName: "empty"}) { results { rank } } }'
    )
    assert found["search"]["results"] == []
