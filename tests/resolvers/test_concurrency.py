"""Concurrent mutations on one name: exactly one wins, every other gets CONFLICT, never an
internal error. Requests go over real HTTP, all in flight at once."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from typing import Any

import httpx
import pytest

from app.db.engine import Database
from tests import files
from tests.conftest import Api, add_document

N = 20
UPLOAD = """
mutation($file: Upload) {
  uploadDocument(input: {collectionName: "docs", name: "same.pdf", file: $file}) { name }
}"""
CREATE = 'mutation { createCollection(input: {name: "same"}) { name } }'
RENAME_COLLECTION = (
    'mutation($name: String!) { updateCollection(input: {name: $name, newName: "same"}) { name } }'
)
RENAME_DOCUMENT = """
mutation($name: String!) {
  updateDocument(input: {collectionName: "docs", name: $name, newName: "same.pdf"}) { name }
}"""
MOVE_DOCUMENT = """
mutation($from: String!) {
  updateDocument(input: {collectionName: $from, name: "same.pdf", newCollectionName: "docs"}) {
    name
  }
}"""


def outcome(body: dict[str, Any]) -> str:
    if body.get("errors"):
        code: str = body["errors"][0]["extensions"]["code"]
        return code
    return "OK"


async def fire(api: Api, requests: list[dict[str, Any]]) -> Counter[str]:
    """Send every request at once over its own connection; count the outcomes by code."""
    base = str(api.http.base_url)
    async with httpx.AsyncClient(
        base_url=base, timeout=120, limits=httpx.Limits(max_connections=N)
    ) as client:
        responses = await asyncio.gather(
            *(client.post("/graphql", headers=api.headers, **request) for request in requests)
        )
    return Counter(outcome(response.json()) for response in responses)


def as_json(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"json": {"query": query, "variables": variables or {}}}


def count(api: Api, query: str) -> int:
    result: int = api.data(query)["documents"]["totalCount"]
    return result


def collection_names(api: Api) -> list[str]:
    edges = api.data("{ collections(first: 100) { edges { node { name } } } }")["collections"]
    return sorted(edge["node"]["name"] for edge in edges["edges"])


async def test_concurrent_same_name_uploads_one_document_and_conflicts(alice: Api) -> None:
    alice.data('mutation { createCollection(input: {name: "docs"}) { name } }')
    pdf = files.pdf(1)
    multipart = {
        "headers": {**alice.headers, "Apollo-Require-Preflight": "true"},
        "data": {
            "operations": json.dumps({"query": UPLOAD, "variables": {"file": None}}),
            "map": json.dumps({"0": ["variables.file"]}),
        },
        "files": {"0": ("same.pdf", pdf, "application/pdf")},
    }
    base = str(alice.http.base_url)
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        responses = await asyncio.gather(
            *(client.post("/graphql", **multipart) for _ in range(N))  # type: ignore[arg-type]
        )
    outcomes = Counter(outcome(response.json()) for response in responses)
    print(f"\n{N} concurrent same-name uploads: {dict(outcomes)}")
    assert outcomes == {"OK": 1, "CONFLICT": N - 1}
    conflict = next(r.json() for r in responses if r.json().get("errors"))
    assert "already has a document named 'same.pdf'" in conflict["errors"][0]["message"]
    assert count(alice, '{ documents(collectionName: "docs") { totalCount } }') == 1


async def test_concurrent_create_collection(alice: Api) -> None:
    outcomes = await fire(alice, [as_json(CREATE) for _ in range(N)])
    print(f"\n{N} concurrent createCollection: {dict(outcomes)}")
    assert outcomes == {"OK": 1, "CONFLICT": N - 1}
    assert collection_names(alice) == ["same"]


async def test_concurrent_renames_to_one_collection_name(alice: Api) -> None:
    for i in range(N):
        alice.data(f'mutation {{ createCollection(input: {{name: "c{i}"}}) {{ name }} }}')
    outcomes = await fire(alice, [as_json(RENAME_COLLECTION, {"name": f"c{i}"}) for i in range(N)])
    print(f"\n{N} concurrent collection renames: {dict(outcomes)}")
    assert outcomes == {"OK": 1, "CONFLICT": N - 1}
    assert collection_names(alice).count("same") == 1
    assert len(collection_names(alice)) == N


@pytest.mark.parametrize("kind", ["rename", "move"])
async def test_concurrent_document_renames_and_moves(alice: Api, db: Database, kind: str) -> None:
    alice.data('mutation { createCollection(input: {name: "docs"}) { name } }')
    requests = []
    for i in range(N):
        if kind == "rename":
            await add_document(db, owner_name="alice", collection="docs", name=f"d{i}.pdf", pages=1)
            requests.append(as_json(RENAME_DOCUMENT, {"name": f"d{i}.pdf"}))
        else:
            alice.data(f'mutation {{ createCollection(input: {{name: "c{i}"}}) {{ name }} }}')
            await add_document(db, owner_name="alice", collection=f"c{i}", name="same.pdf", pages=1)
            requests.append(as_json(MOVE_DOCUMENT, {"from": f"c{i}"}))
    outcomes = await fire(alice, requests)
    print(f"\n{N} concurrent document {kind}s: {dict(outcomes)}")
    assert outcomes == {"OK": 1, "CONFLICT": N - 1}
    docs = alice.data(
        '{ documents(collectionName: "docs", first: 100) { edges { node { name } } } }'
    )["documents"]["edges"]
    names = [edge["node"]["name"] for edge in docs]
    assert names.count("same.pdf") == 1
    assert len(names) == (N if kind == "rename" else 1)
    assert count(alice, "{ documents(first: 100) { totalCount } }") == N
