"""Documents stored in collections: get, list, filter, paginate pages, update, move, delete."""

from __future__ import annotations

from app.db.engine import Database
from tests.conftest import Api, add_document
from tests.resolvers.test_collections import create

DOC = """
query($c: String!, $n: String!) {
  document(collectionName: $c, name: $n) {
    id name metadata status progress error pageCount mimeType
    collection { name }
    pages(first: 2) { totalCount edges { node { number text width height imageUrl document { name } } } }
  }
}"""
DOCS = """
query($c: String, $filter: JSON) {
  documents(collectionName: $c, filter: $filter) { totalCount edges { node { name } } }
}"""
UPDATE = """
mutation($input: UpdateDocumentInput!) {
  updateDocument(input: $input) { name metadata collection { name } }
}"""


async def test_document_with_pages_and_collection(alice: Api, db: Database) -> None:
    create(alice, "reports")
    await add_document(
        db, owner_name="alice", collection="reports", name="q1.pdf", metadata={"q": 1}, pages=3
    )
    doc = alice.data(DOC, {"c": "reports", "n": "q1.pdf"})["document"]
    assert doc["name"] == "q1.pdf" and doc["metadata"] == {"q": 1}
    assert doc["status"] == "PENDING" and doc["pageCount"] == 3
    assert doc["collection"] == {"name": "reports"}
    pages = doc["pages"]
    assert pages["totalCount"] == 3
    assert [e["node"]["number"] for e in pages["edges"]] == [1, 2]
    assert pages["edges"][0]["node"]["text"] == "page 1 of q1.pdf"
    assert pages["edges"][0]["node"]["document"] == {"name": "q1.pdf"}
    assert "/image?" in pages["edges"][0]["node"]["imageUrl"]  # a signed link
    counts = alice.data('{ collection(name: "reports") { documentCount pageCount } }')
    assert counts["collection"] == {"documentCount": 1, "pageCount": 3}


async def test_missing_document_is_null(alice: Api) -> None:
    create(alice, "reports")
    assert alice.data(DOC, {"c": "reports", "n": "nope"})["document"] is None
    assert alice.data(DOC, {"c": "nope", "n": "nope"})["document"] is None


async def test_list_and_filter_documents(alice: Api, db: Database) -> None:
    create(alice, "a")
    create(alice, "b")
    await add_document(db, owner_name="alice", collection="a", name="d1", metadata={"year": 2020})
    await add_document(db, owner_name="alice", collection="a", name="d2", metadata={"year": 2024})
    await add_document(db, owner_name="alice", collection="b", name="d3", metadata={"year": 2024})
    everything = alice.data(DOCS)["documents"]
    assert everything["totalCount"] == 3
    in_a = alice.data(DOCS, {"c": "a"})["documents"]
    assert [e["node"]["name"] for e in in_a["edges"]] == ["d1", "d2"]
    recent = alice.data(DOCS, {"filter": {"year": {"$gt": 2021}}})["documents"]
    assert [e["node"]["name"] for e in recent["edges"]] == ["d2", "d3"]
    nested = alice.data(
        '{ collection(name: "a") { documents(filter: {year: 2020}) { totalCount edges { node { name } } } } }'
    )
    assert nested["collection"]["documents"]["edges"] == [{"node": {"name": "d1"}}]
    assert alice.error(DOCS, {"c": "missing"})["code"] == "NOT_FOUND"


async def test_update_renames_moves_and_replaces_metadata(alice: Api, db: Database) -> None:
    create(alice, "a")
    create(alice, "b")
    await add_document(db, owner_name="alice", collection="a", name="d1", pages=2)
    moved = alice.data(
        UPDATE,
        {
            "input": {
                "collectionName": "a",
                "name": "d1",
                "newName": "d9",
                "metadata": {"k": "v"},
                "newCollectionName": "b",
            }
        },
    )["updateDocument"]
    assert moved == {"name": "d9", "metadata": {"k": "v"}, "collection": {"name": "b"}}
    assert alice.data(DOCS, {"c": "a"})["documents"]["totalCount"] == 0
    assert alice.data('{ collection(name: "b") { documentCount pageCount } }')["collection"] == {
        "documentCount": 1,
        "pageCount": 2,
    }


async def test_update_conflict_changes_nothing(alice: Api, db: Database) -> None:
    create(alice, "a")
    await add_document(db, owner_name="alice", collection="a", name="d1", metadata={"v": 1})
    await add_document(db, owner_name="alice", collection="a", name="d2")
    error = alice.error(
        UPDATE,
        {"input": {"collectionName": "a", "name": "d1", "newName": "d2", "metadata": {"v": 2}}},
    )
    assert error["code"] == "CONFLICT"
    assert alice.data(DOC, {"c": "a", "n": "d1"})["document"]["metadata"] == {"v": 1}


async def test_delete_document_cascades_pages(alice: Api, db: Database) -> None:
    create(alice, "a")
    await add_document(db, owner_name="alice", collection="a", name="d1", pages=4)
    assert alice.data('mutation { deleteDocument(collectionName: "a", name: "d1") }')[
        "deleteDocument"
    ]
    async with db.session() as session:
        from sqlalchemy import text

        assert (await session.execute(text("SELECT count(*) FROM pages"))).scalar_one() == 0
    assert (
        alice.error('mutation { deleteDocument(collectionName: "a", name: "d1") }')["code"]
        == "NOT_FOUND"
    )


async def test_delete_collection_cascades_documents(alice: Api, db: Database) -> None:
    create(alice, "a")
    await add_document(db, owner_name="alice", collection="a", name="d1", pages=2)
    alice.data('mutation { deleteCollection(name: "a") }')
    async with db.session() as session:
        from sqlalchemy import text

        counts = (
            await session.execute(
                text("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM pages)")
            )
        ).one()
    assert tuple(counts) == (0, 0)
