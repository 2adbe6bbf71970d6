"""The tenant tables can be distributed by owner (Citus) as they are: the migrated schema keeps
the owner id in every key that Citus requires it in, and every statement the service sends to
a tenant table names the owner, so Citus routes it to one shard."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from app.db.engine import Database
from app.settings import settings
from tests import files
from tests.conftest import Api, add_document
from tests.resolvers.test_collections import create
from tests.resolvers.test_search import SEARCH
from tests.webhooks.queries import create_webhook, settled, wait_for_deliveries
from tests.webhooks.receiver import Receiver
from tests.webhooks.test_delivery import UPLOAD

# Sharded by owner, co-located; `users` would be a reference table, the queue stays local.
DISTRIBUTED = {
    "collections",
    "documents",
    "pages",
    "page_embeddings",
    "page_centroids",
    "page_keys",
    "document_sources",
    "webhooks",
    "webhook_deliveries",
}
BROWSE = """query($filter: JSON) {
  collections(first: 5) { edges { node { id name documentCount pageCount
    documents(first: 5, filter: $filter) { edges { node { id name status
      collection { name }
      pages(first: 5) { edges { node { id number imageBase64 imageUrl(width: 160)
        document { name } } } } } } } } } }
  webhooks(first: 5) { edges { node { id deliveries(first: 5) { edges { node { id } } } } } }
}"""
SIMILARITY = '{ search(input: {query: "revenue", topK: 1}) { results { similarityMap { rows } } } }'
NODE = "query($id: ID!) { node(id: $id) { id ... on Document { name } } }"
MOVE = """mutation {
  updateDocument(input: {collectionName: "docs", name: "report.pdf", newName: "moved.pdf",
                         newCollectionName: "archive", metadata: {year: 2025}}) { name }
}"""
_CONSTRAINTS = text(
    """
    SELECT c.conrelid::regclass::text AS tbl, c.conname, c.contype::text AS contype,
           c.confrelid::regclass::text AS target,
           ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n
                 ORDER BY k.i) AS cols,
           ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n
                 ORDER BY k.i) AS target_cols
    FROM pg_constraint c
    WHERE c.connamespace = 'public'::regnamespace AND c.contype IN ('p', 'u', 'f')
    """
)


async def test_every_key_of_a_tenant_table_leads_with_the_owner(db: Database) -> None:
    async with db.session() as session:
        rows = (await session.execute(_CONSTRAINTS)).all()
        owned = set(
            (
                await session.execute(
                    text(
                        "SELECT table_name FROM information_schema.columns"
                        " WHERE table_schema = 'public' AND column_name = 'owner_id'"
                    )
                )
            ).scalars()
        )
    assert owned >= DISTRIBUTED  # every hot table carries the owner
    checked = 0
    for row in rows:
        if row.tbl not in DISTRIBUTED:
            continue
        if row.contype in ("p", "u"):
            # Citus: a primary key or unique constraint must contain the distribution column.
            assert row.cols[0] == "owner_id", f"{row.conname} on {row.tbl}: {row.cols}"
            checked += 1
        elif row.target in DISTRIBUTED:
            # Between distributed tables, a foreign key must join owner to owner (co-located).
            pairs = dict(zip(row.cols, row.target_cols, strict=True))
            assert pairs.get("owner_id") == "owner_id", f"{row.conname}: {pairs}"
            checked += 1
        else:  # to a reference table: `users`
            assert row.target == "users", f"{row.conname} references {row.target}"
    # 9 primary keys, 4 unique constraints, 11 foreign keys between tenant tables.
    assert checked == 24


# A table named in a statement, and the alias it goes by there, if any.
_REFERENCE = re.compile(
    r"\b(?:FROM|JOIN|UPDATE|INTO)\s+\"?(\w+)\"?"
    r"(?:\s+(?:AS\s+)?(?!(?:WHERE|ON|SET|JOIN|LEFT|INNER|USING|GROUP|ORDER|LIMIT|VALUES|FOR"
    r"|RETURNING|AND|OR|UNION|HAVING|OFFSET|CROSS|WITH)\b)(\w+))?",
    re.IGNORECASE,
)


def unrouted(statement: str) -> list[str]:
    """The tenant tables `statement` reads or writes without a condition on their owner.

    Each reference must be compared as `<table or alias>.owner_id = ...` (or `... = x.owner_id`,
    `x.owner_id IN`); a statement on one table may compare the column bare, and an INSERT
    names it among its columns."""
    references = [(m[1], m[2] or m[1]) for m in _REFERENCE.finditer(statement)]
    if statement.lstrip().upper().startswith("INSERT"):
        return [] if "owner_id" in statement else [t for t, _ in references if t in DISTRIBUTED]
    bare = len(references) == 1 and re.search(r"(?<![.\w])owner_id\s*(=|IN\b)", statement, re.I)
    missing = []
    for table, name in references:
        compared = rf"\b{name}\.owner_id\s*(=|IN\b)|=\s*{name}\.owner_id\b"
        if table in DISTRIBUTED and not bare and not re.search(compared, statement, re.I):
            missing.append(table)
    return missing


def test_the_check_sees_a_lookup_by_id_alone() -> None:
    assert unrouted("SELECT name FROM documents WHERE owner_id = $1 AND id = $2") == []
    assert unrouted("SELECT documents.owner_id FROM documents WHERE documents.id = $1") == [
        "documents"  # selected, not compared
    ]
    assert unrouted("INSERT INTO pages (owner_id, document_id) VALUES ($1, $2)") == []
    assert unrouted("SELECT d.name FROM documents d JOIN pages p ON p.id = $1") == [
        "documents",
        "pages",
    ]
    assert unrouted(
        "SELECT 1 FROM webhook_deliveries JOIN webhooks ON webhooks.id ="
        " webhook_deliveries.webhook_id WHERE webhook_deliveries.owner_id = $1"
    ) == ["webhooks"]
    assert unrouted("UPDATE documents SET status=$1 WHERE documents.id = $2") == ["documents"]
    assert unrouted("SELECT * FROM pgqueuer WHERE id = $1") == []  # not a tenant table


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    monkeypatch.setattr(settings, "allow_private_urls", True)  # it listens on loopback
    with Receiver().running() as running:
        yield running


async def test_every_statement_on_a_tenant_table_names_its_owner(
    alice: Api, db: Database, receiver: Receiver, statements: list[str]
) -> None:
    """The API and its worker through a user's whole day: on Citus each of these statements is
    routed to the owner's shard (by id alone it would go to every shard, and a FOR UPDATE
    there fails)."""
    webhook = create_webhook(alice, receiver.url)
    receiver.secret = webhook["secret"]
    create(alice, "docs", metadata={"team": "finance"})
    create(alice, "archive")
    uploaded = alice.upload(UPLOAD, {"file": None}, {"file": ("report.pdf", files.pdf(2))})
    assert uploaded["data"]["uploadDocument"]["status"] == "READY", uploaded
    await add_document(db, owner_name="alice", collection="docs", name="broken.pdf")
    # Its stored file is missing: the worker fails it, through the real ingest path.
    alice.data('mutation { retryDocument(collectionName: "docs", name: "broken.pdf") { name } }')
    browsed = alice.data(BROWSE, {"filter": {"year": {"$exists": False}}})
    document = browsed["collections"]["edges"][0]["node"]["documents"]["edges"][0]["node"]
    for node_id in (document["id"], document["pages"]["edges"][0]["node"]["id"]):
        assert alice.data(NODE, {"id": node_id})["node"]["id"] == node_id
    for input in (
        {"query": "revenue"},
        {"query": "revenue", "mode": "TEXT"},
        {"query": "revenue", "mode": "HYBRID", "collectionFilter": {"team": "finance"}},
        {"query": "revenue", "documentFilter": {"year": 2024}, "exact": True},
    ):
        alice.data(SEARCH, {"input": input})
    alice.data(SIMILARITY)
    results = alice.data(SEARCH, {"input": {"query": "revenue"}})["search"]["results"]
    assert len(results) == 2
    assert alice.http.get(results[0]["page"]["imageUrl"]).status_code == 200
    alice.data(MOVE)
    alice.data('mutation { deleteDocument(collectionName: "archive", name: "moved.pdf") }')
    alice.data('mutation { deleteCollection(name: "docs") }')
    receiver.wait_until(
        lambda got: (
            {r.payload["type"] for r in got}
            >= {"document.ready", "document.failed", "document.deleted", "collection.deleted"}
        )
    )
    wait_for_deliveries(alice, webhook["id"], lambda found: len(found) >= 4 and settled(found))

    tenant = [s for s in statements if any(t in s for t in DISTRIBUTED)]
    assert len(tenant) > 50, len(tenant)  # the check saw the flow
    offending = {" ".join(s.split())[:160]: unrouted(s) for s in tenant if unrouted(s)}
    assert offending == {}
