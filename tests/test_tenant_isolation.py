"""Two users: B never sees, changes or learns of A's objects. Every query and mutation."""

from __future__ import annotations

from typing import Any

from app.db.engine import Database
from tests.conftest import Api, add_document
from tests.resolvers.test_collections import create


async def _alice_world(alice: Api, db: Database) -> dict[str, Any]:
    collection = create(alice, "secret", {"team": "alpha"})
    await add_document(
        db,
        owner_name="alice",
        collection="secret",
        name="plan.pdf",
        metadata={"team": "alpha"},
        pages=2,
    )
    doc = alice.data(
        '{ document(collectionName: "secret", name: "plan.pdf") { id pages { edges { node { id imageUrl } } } } }'
    )["document"]
    page = doc["pages"]["edges"][0]["node"]
    return {
        "collection_id": collection["id"],
        "document_id": doc["id"],
        "page_id": page["id"],
        "image_url": page["imageUrl"],
    }


async def test_reads_do_not_reveal_other_users_objects(alice: Api, bob: Api, db: Database) -> None:
    world = await _alice_world(alice, db)
    assert bob.data('{ collection(name: "secret") { id } }')["collection"] is None
    assert bob.data("{ collections { totalCount } }")["collections"]["totalCount"] == 0
    assert (
        bob.data('{ collections(filter: {team: "alpha"}) { totalCount } }')["collections"][
            "totalCount"
        ]
        == 0
    )
    assert (
        bob.data('{ document(collectionName: "secret", name: "plan.pdf") { id } }')["document"]
        is None
    )
    assert bob.data("{ documents { totalCount } }")["documents"]["totalCount"] == 0
    assert (
        bob.error('{ documents(collectionName: "secret") { totalCount } }')["code"] == "NOT_FOUND"
    )
    for key in ("collection_id", "document_id", "page_id"):
        assert (
            bob.data("query($id: ID!) { node(id: $id) { id } }", {"id": world[key]})["node"] is None
        )
        assert alice.data("query($id: ID!) { node(id: $id) { id } }", {"id": world[key]})[
            "node"
        ] == {"id": world[key]}
    # Bob's token does not fetch Alice's page; a link he signs for his own page, pointed at
    # hers, does not verify (tests/test_page_image_route.py covers the links in full).
    bare = world["image_url"].split("?")[0]
    assert bob.http.get(bare, headers=bob.headers).status_code == 404
    assert alice.http.get(bare, headers=alice.headers).status_code == 200
    assert alice.http.get(world["image_url"]).status_code == 200


async def test_mutations_on_other_users_objects_are_not_found(
    alice: Api, bob: Api, db: Database
) -> None:
    await _alice_world(alice, db)
    attempts = [
        'mutation { updateCollection(input: {name: "secret", newName: "mine"}) { id } }',
        'mutation { deleteCollection(name: "secret") }',
        'mutation { updateDocument(input: {collectionName: "secret", name: "plan.pdf", newName: "x"}) { id } }',
        'mutation { deleteDocument(collectionName: "secret", name: "plan.pdf") }',
    ]
    for mutation in attempts:
        error = bob.error(mutation)
        assert error["code"] == "NOT_FOUND", mutation
        assert "secret" in error["message"]
    # Bob may reuse the name for his own collection: names are per owner.
    assert create(bob, "secret")["name"] == "secret"
    # Moving Alice's document into Bob's collection is not possible either.
    create(bob, "mine")
    error = bob.error(
        'mutation { updateDocument(input: {collectionName: "secret", name: "plan.pdf", newCollectionName: "mine"}) { id } }'
    )
    assert error["code"] == "NOT_FOUND"
    # And Alice cannot move hers into Bob's.
    error = alice.error(
        'mutation { updateDocument(input: {collectionName: "secret", name: "plan.pdf", newCollectionName: "mine"}) { id } }'
    )
    assert error["code"] == "NOT_FOUND"
    # Nothing of Alice's changed.
    state = alice.data('{ collection(name: "secret") { name documentCount pageCount metadata } }')
    assert state["collection"] == {
        "name": "secret",
        "documentCount": 1,
        "pageCount": 2,
        "metadata": {"team": "alpha"},
    }


def test_me_is_each_users_own(alice: Api, bob: Api) -> None:
    assert alice.data("{ me { name isAdmin } }")["me"] == {"name": "alice", "isAdmin": False}
    assert bob.data("{ me { name } }")["me"] == {"name": "bob"}
    me = alice.data("{ me { id } }")["me"]["id"]
    assert alice.data("query($id: ID!) { node(id: $id) { ... on User { name } } }", {"id": me})[
        "node"
    ] == {"name": "alice"}
    assert bob.data("query($id: ID!) { node(id: $id) { id } }", {"id": me})["node"] is None
