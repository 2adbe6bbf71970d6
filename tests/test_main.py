"""The plain HTTP routes and transport guards: /healthz, GraphiQL, page images, size and CSRF."""

from __future__ import annotations

import httpx

from app.db.engine import Database
from tests.conftest import Api, add_document
from tests.resolvers.test_collections import create


def test_healthz_needs_no_token(http: httpx.Client) -> None:
    response = http.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_graphiql_in_a_browser(http: httpx.Client) -> None:
    response = http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_page_image_by_signed_link_or_the_owners_token(alice: Api, db: Database) -> None:
    create(alice, "c")
    await add_document(db, owner_name="alice", collection="c", name="d", pages=1)
    node = alice.data(
        '{ document(collectionName: "c", name: "d") { pages { edges { node { id imageUrl imageBase64 } } } } }'
    )
    page = node["document"]["pages"]["edges"][0]["node"]
    # The signed link needs no header (what an <img src> sends).
    response = alice.http.get(page["imageUrl"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content == b"\x89PNG-page-1"
    assert "private" in response.headers["cache-control"]
    assert page["imageBase64"] == "iVBORy1wYWdlLTE="
    # Without a signature, the owner's token still fetches it; nothing else does.
    bare = page["imageUrl"].split("?")[0]
    assert alice.http.get(bare, headers=alice.headers).content == b"\x89PNG-page-1"
    anonymous = alice.http.get(bare)
    assert anonymous.status_code == 401
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert alice.http.get("/pages/999999/image", headers=alice.headers).status_code == 404


def test_oversized_body_is_payload_too_large(alice: Api) -> None:
    big = "x" * (2 * 1024 * 1024)
    response = alice.http.post(
        "/graphql",
        json={"query": "{ me { name } }", "variables": {"pad": big}},
        headers=alice.headers,
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


def test_oversized_streamed_body_is_payload_too_large(alice: Api) -> None:
    def chunks() -> object:
        for _ in range(40):
            yield b"x" * 65536

    response = alice.http.post(
        "/graphql",
        content=chunks(),  # type: ignore[arg-type]
        headers={**alice.headers, "content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


def test_multipart_without_preflight_header_is_refused(alice: Api) -> None:
    response = alice.http.post(
        "/graphql",
        headers=alice.headers,
        files={"operations": (None, '{"query": "{ me { name } }"}'), "map": (None, "{}")},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "Apollo-Require-Preflight" in body["errors"][0]["message"]
    allowed = alice.http.post(
        "/graphql",
        headers={**alice.headers, "Apollo-Require-Preflight": "true"},
        files={"operations": (None, '{"query": "{ me { name } }"}'), "map": (None, "{}")},
    )
    assert allowed.status_code == 200
    assert allowed.json()["data"] == {"me": {"name": "alice"}}
