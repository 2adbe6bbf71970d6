"""Collections over real GraphQL/HTTP: create, read, list with filters, paginate, update, delete."""

from __future__ import annotations

from tests.conftest import Api

CREATE = """
mutation($input: CreateCollectionInput!) {
  createCollection(input: $input) { id name metadata model documentCount pageCount createdAt updatedAt }
}"""
LIST = """
query($filter: JSON, $first: Int, $after: String) {
  collections(filter: $filter, first: $first, after: $after) {
    totalCount
    edges { cursor node { name metadata } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""
UPDATE = """
mutation($input: UpdateCollectionInput!) { updateCollection(input: $input) { name metadata updatedAt } }"""


def create(api: Api, name: str, metadata: dict[str, object] | None = None) -> dict[str, object]:
    result: dict[str, object] = api.data(CREATE, {"input": {"name": name, "metadata": metadata}})[
        "createCollection"
    ]
    return result


def names(api: Api, filter: object = None, **kwargs: object) -> list[str]:
    conn = api.data(LIST, {"filter": filter, **kwargs})["collections"]
    return [edge["node"]["name"] for edge in conn["edges"]]


def test_create_and_read_back(alice: Api) -> None:
    created = create(alice, "reports", {"team": "alpha", "year": 2024})
    assert created["name"] == "reports"
    assert created["metadata"] == {"team": "alpha", "year": 2024}
    assert created["documentCount"] == 0 and created["pageCount"] == 0
    assert created["model"]
    got = alice.data('{ collection(name: "reports") { id name metadata } }')["collection"]
    assert got == {
        "id": created["id"],
        "name": "reports",
        "metadata": {"team": "alpha", "year": 2024},
    }


def test_missing_collection_is_null(alice: Api) -> None:
    assert alice.data('{ collection(name: "nope") { id } }')["collection"] is None


def test_duplicate_name_is_conflict_and_changes_nothing(alice: Api) -> None:
    create(alice, "reports", {"v": 1})
    error = alice.error(CREATE, {"input": {"name": "reports", "metadata": {"v": 2}}})
    assert error["code"] == "CONFLICT"
    assert "reports" in error["message"]
    assert alice.data(LIST)["collections"]["totalCount"] == 1
    assert alice.data('{ collection(name: "reports") { metadata } }')["collection"]["metadata"] == {
        "v": 1
    }


def test_bad_names_and_metadata_are_rejected(alice: Api) -> None:
    for bad in ("", " padded", "x" * 201, "tab\tname"):
        assert alice.error(CREATE, {"input": {"name": bad}})["code"] == "BAD_USER_INPUT"
    error = alice.error(CREATE, {"input": {"name": "ok", "metadata": [1, 2]}})
    assert error["code"] == "BAD_USER_INPUT" and "metadata" in error["message"]
    error = alice.error(CREATE, {"input": {"name": "ok", "model": "someone/else"}})
    assert error["code"] == "BAD_USER_INPUT" and "embeds with" in error["message"]
    assert alice.data(LIST)["collections"]["totalCount"] == 0


def test_list_with_metadata_filter(alice: Api) -> None:
    create(alice, "a", {"team": "alpha", "year": 2019})
    create(alice, "b", {"team": "beta", "year": 2024, "tags": ["x", "y"]})
    create(alice, "c", {"team": "alpha", "year": 2025, "author": {"name": "Ada"}})
    assert names(alice, {"team": "alpha"}) == ["a", "c"]
    assert names(alice, {"year": {"$gte": 2020}}) == ["b", "c"]
    assert names(alice, {"$or": [{"team": "beta"}, {"author.name": "Ada"}]}) == ["b", "c"]
    assert names(alice, {"tags": {"$contains": "x"}}) == ["b"]
    error = alice.error(LIST, {"filter": {"year": {"$near": 1}}})
    assert error["code"] == "BAD_USER_INPUT" and "filter.year.$near" in error["message"]


def test_pagination_walks_every_item_once(alice: Api) -> None:
    for i in range(5):
        create(alice, f"c{i}")
    seen: list[str] = []
    after = None
    while True:
        conn = alice.data(LIST, {"first": 2, "after": after})["collections"]
        assert conn["totalCount"] == 5
        seen += [edge["node"]["name"] for edge in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
        assert conn["edges"][-1]["cursor"] == after
    assert seen == [f"c{i}" for i in range(5)]
    assert alice.error(LIST, {"after": "not-a-cursor"})["code"] == "BAD_USER_INPUT"
    assert alice.error(LIST, {"first": 1000})["code"] == "BAD_USER_INPUT"
    assert alice.error(LIST, {"first": -1})["code"] == "BAD_USER_INPUT"


def test_update_renames_and_replaces_metadata(alice: Api) -> None:
    before = create(alice, "old", {"a": 1})
    updated = alice.data(UPDATE, {"input": {"name": "old", "newName": "new", "metadata": {"b": 2}}})
    assert updated["updateCollection"]["name"] == "new"
    assert updated["updateCollection"]["metadata"] == {"b": 2}
    assert updated["updateCollection"]["updatedAt"] >= str(before["updatedAt"])
    assert names(alice) == ["new"]


def test_rename_onto_existing_name_is_conflict(alice: Api) -> None:
    create(alice, "one")
    create(alice, "two")
    assert alice.error(UPDATE, {"input": {"name": "one", "newName": "two"}})["code"] == "CONFLICT"
    assert names(alice) == ["one", "two"]


def test_delete(alice: Api) -> None:
    create(alice, "gone")
    assert alice.data('mutation { deleteCollection(name: "gone") }')["deleteCollection"] is True
    assert names(alice) == []
    assert alice.error('mutation { deleteCollection(name: "gone") }')["code"] == "NOT_FOUND"
