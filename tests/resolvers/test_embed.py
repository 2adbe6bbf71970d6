"""`embed`: the model's raw multi-vectors, the very vectors `search` scores with."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray
from sqlalchemy import text

from app.db.engine import Database
from app.db.vectors import decode
from app.errors import ErrorCode
from gpu.engine import Engine, EngineOptions
from tests import files
from tests.conftest import Api
from tests.resolvers.test_search import page_image, search

EMBED = "query($input: EmbedInput!) { embed(input: $input) { tokens dim dtype base64 } }"
EMBED_IMAGES = """
query($images: [Upload!]!) { embed(input: {images: $images}) { tokens dim dtype base64 } }"""


def vectors(item: dict[str, Any]) -> NDArray[np.float32]:
    """A MultiVector decoded as the docs show: little-endian float16, row-major."""
    assert item["dtype"] == "float16"
    raw = np.frombuffer(base64.b64decode(item["base64"]), dtype="<f2")
    return raw.reshape(item["tokens"], item["dim"]).astype(np.float32)


def embed_images(api: Api, images: list[bytes]) -> dict[str, Any]:
    """A multipart request with a list of files, as the GraphQL multipart spec maps them."""
    response = api.http.post(
        "/graphql",
        headers={**api.headers, "Apollo-Require-Preflight": "true"},
        data={
            "operations": json.dumps(
                {"query": EMBED_IMAGES, "variables": {"images": [None] * len(images)}}
            ),
            "map": json.dumps({str(i): [f"variables.images.{i}"] for i in range(len(images))}),
        },
        files={
            str(i): (f"{i}.png", data, "application/octet-stream") for i, data in enumerate(images)
        },
    )
    body: dict[str, Any] = response.json()
    return body


async def stored_pages(db: Database) -> dict[int, NDArray[np.float32]]:
    async with db.session() as session:
        rows = await session.execute(text("SELECT page_id, dim, vectors FROM page_embeddings"))
        return {row.page_id: decode(row.vectors, row.dim) for row in rows}


def maxsim(query: NDArray[np.float32], page: NDArray[np.float32]) -> float:
    return float((query @ page.T).max(axis=1).sum())


def score_gap(
    results: list[dict[str, Any]], query: NDArray[np.float32], pages: dict[int, Any]
) -> float:
    """The largest difference between search's scores and MaxSim with the embedded query."""
    gaps = [
        abs(r["score"] - maxsim(query, pages[int(r["page"]["imageUrl"].split("/")[-2])]))
        for r in results
    ]
    return float(max(gaps))


async def test_query_vectors_are_the_ones_search_scores_with(
    library: Api, db: Database, tiny_model: Path
) -> None:
    queries = ["quarterly revenue", "meeting notes"]
    items = library.data(EMBED, {"input": {"queries": queries}})["embed"]
    assert [item["dim"] for item in items] == [128, 128]
    # The model's own output (colpali-engine, the server's model), bit for bit.
    engine = Engine(str(tiny_model), EngineOptions(device="cpu"))
    for item, expected in zip(items, engine.embed_queries(queries), strict=True):
        assert np.array_equal(vectors(item), expected.astype(np.float32))
    pages = await stored_pages(db)
    for query, item in zip(queries, items, strict=True):
        results = search(library, query=query, topK=7, exact=True)
        assert len(results) == 7
        # Scores are float32 sums of the same products: equal up to float rounding.
        assert score_gap(results, vectors(item), pages) < 1e-3


async def test_image_vectors_are_the_ones_an_image_search_scores_with(
    library: Api, db: Database
) -> None:
    first = page_image(library, "reports", "r2023.pdf", 2)
    second = page_image(library, "notes", "n2024.pdf", 1)
    body = embed_images(library, [first, second])
    assert "errors" not in body, body
    one, two = body["data"]["embed"]
    assert one["tokens"] > 0 and one["dim"] == 128
    pages = await stored_pages(db)
    image = base64.b64encode(first).decode()
    results = search(library, imageBase64=image, topK=7, exact=True)
    assert score_gap(results, vectors(one), pages) < 1e-3
    assert not np.array_equal(vectors(one), vectors(two))


@pytest.mark.parametrize(
    ("input", "code", "message"),
    [
        ({}, ErrorCode.BAD_USER_INPUT, "exactly one of `queries` or `images`"),
        ({"queries": []}, ErrorCode.BAD_USER_INPUT, "Embed 1 to 16 items"),
        ({"queries": ["x"] * 17}, ErrorCode.BAD_USER_INPUT, "Embed 1 to 16 items"),
        ({"queries": ["ok", "  "]}, ErrorCode.BAD_USER_INPUT, "`queries[1]` is empty"),
        ({"queries": ["nul\u0000"]}, ErrorCode.BAD_USER_INPUT, "queries[0]"),
    ],
)
def test_bad_input_is_a_typed_error(
    alice: Api, input: dict[str, Any], code: ErrorCode, message: str
) -> None:
    error = alice.error(EMBED, {"input": input})
    assert error["code"] == code
    assert message in error["message"]


def test_both_kinds_at_once_are_refused(alice: Api) -> None:
    body = embed_images(alice, [files.image("PNG")])
    assert "errors" not in body, body
    both = EMBED_IMAGES.replace("{images: $images}", '{images: $images, queries: ["x"]}')
    body = alice.http.post(
        "/graphql",
        headers={**alice.headers, "Apollo-Require-Preflight": "true"},
        data={
            "operations": json.dumps({"query": both, "variables": {"images": [None]}}),
            "map": json.dumps({"0": ["variables.images.0"]}),
        },
        files={"0": ("0.png", files.image("PNG"), "application/octet-stream")},
    ).json()
    assert body["errors"][0]["extensions"]["code"] == ErrorCode.BAD_USER_INPUT


def test_a_file_that_is_not_an_image_is_unsupported(alice: Api) -> None:
    body = embed_images(alice, [files.pdf(1)])
    assert body["errors"][0]["extensions"]["code"] == ErrorCode.UNSUPPORTED_MEDIA_TYPE


def test_each_item_counts_against_the_search_limit(alice: Api, tight_search_limit: None) -> None:
    assert len(alice.data(EMBED, {"input": {"queries": ["a", "b"]}})["embed"]) == 2
    # Two of three tokens are gone: a batch of two no longer fits, a single query does.
    error = alice.error(EMBED, {"input": {"queries": ["c", "d"]}})
    assert error["code"] == ErrorCode.RATE_LIMITED
    assert error["extensions"]["retryAfter"] > 0
    assert len(alice.data(EMBED, {"input": {"queries": ["e"]}})["embed"]) == 1
    assert alice.error(EMBED, {"input": {"queries": ["f"]}})["code"] == ErrorCode.RATE_LIMITED


def test_embed_needs_a_token(http: Any) -> None:
    error = Api(http, None).error(EMBED, {"input": {"queries": ["x"]}})
    assert error["code"] == ErrorCode.UNAUTHENTICATED
