"""`Page.imageUrl` comes from PALIAPI_PUBLIC_URL or is relative, whatever Host a client sends."""

from __future__ import annotations

import pytest

from app.db.engine import Database
from app.settings import settings
from tests.conftest import Api, add_document

PAGES = '{ document(collectionName: "c", name: "d") { pages { edges { node { id imageUrl } } } } }'


async def test_image_url_ignores_a_forged_host_header(
    alice: Api, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice.data('mutation { createCollection(input: {name: "c"}) { name } }')
    await add_document(db, owner_name="alice", collection="c", name="d", pages=1)
    forged = {**alice.headers, "Host": "evil.example", "X-Forwarded-Host": "evil.example"}

    def image_url() -> str:
        response = alice.http.post("/graphql", json={"query": PAGES}, headers=forged)
        (edge,) = response.json()["data"]["document"]["pages"]["edges"]
        url: str = edge["node"]["imageUrl"]
        assert "evil" not in url
        return url

    relative = image_url()
    assert relative.startswith("/pages/") and "/image?" in relative
    # Relative to the API's own origin, it loads.
    assert alice.http.get(relative).status_code == 200

    monkeypatch.setattr(settings, "public_url", "https://api.example.com/")
    assert image_url() == f"https://api.example.com{relative}"
