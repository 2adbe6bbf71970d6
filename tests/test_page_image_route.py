"""`GET /pages/{id}/image` by signed link: no header needed, thumbnails, caching headers, and
403 for anything expired or altered, including a link turned towards another user's page."""

from __future__ import annotations

import io
import re
import time
from typing import Any

import httpx
from PIL import Image
from sqlalchemy import text
from starlette.applications import Starlette

from app.db.engine import Database
from app.page_urls import PageUrlSigner
from tests.conftest import Api, add_document
from tests.files import image
from tests.resolvers.test_collections import create

PAGE = """query($width: Int) {
  document(collectionName: "c", name: "d") {
    pages { edges { node { id url: imageUrl(width: $width) } } }
  }
}"""


async def _page(api: Api, db: Database, owner: str, *, png: bytes | None = None) -> None:
    create(api, "c")
    document = await add_document(db, owner_name=owner, collection="c", name="d", pages=1)
    if png is not None:
        async with db.transaction() as session:
            await session.execute(
                text("UPDATE pages SET image = :png WHERE document_id = :d"),
                {"png": png, "d": document.id},
            )


def _url(api: Api, width: int | None = None) -> tuple[int, str]:
    node: dict[str, Any] = api.data(PAGE, {"width": width})["document"]["pages"]["edges"][0]["node"]
    page_id = int(re.search(r"/pages/(\d+)/", node["url"]).group(1))  # type: ignore[union-attr]
    return page_id, node["url"]


def _code(response: httpx.Response) -> str:
    code: str = response.json()["errors"][0]["extensions"]["code"]
    return code


async def test_a_signed_link_loads_with_no_header_and_caches(
    alice: Api, db: Database, http: httpx.Client
) -> None:
    await _page(alice, db, "alice")
    _, url = _url(alice)
    asked = time.time()
    response = http.get(url)  # what an <img src> sends: no Authorization
    assert response.status_code == 200
    assert response.content == b"\x89PNG-page-1"
    cache = response.headers["cache-control"]
    assert "private" in cache and "immutable" in cache
    expires = int(re.search(r"exp=(\d+)", url).group(1))  # type: ignore[union-attr]
    max_age = int(re.search(r"max-age=(\d+)", cache).group(1))  # type: ignore[union-attr]
    assert 0 < max_age <= expires - asked  # never cached past the link's expiry
    etag = response.headers["etag"]
    again = http.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag


async def test_a_thumbnail_is_webp_at_the_rounded_up_width(
    alice: Api, db: Database, http: httpx.Client
) -> None:
    await _page(alice, db, "alice", png=image("PNG", (900, 1200)))
    _, url = _url(alice, 300)
    assert "w=320" in url
    response = http.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/webp"
    with Image.open(io.BytesIO(response.content)) as thumbnail:
        assert thumbnail.size == (320, 427)
    _, full = _url(alice, 5000)  # wider than the largest thumbnail: the page itself
    assert "w=0" in full
    assert http.get(full).headers["content-type"] == "image/png"
    assert alice.error(PAGE, {"width": 0})["code"] == "BAD_USER_INPUT"


async def test_expired_or_altered_links_are_forbidden(
    alice: Api, bob: Api, db: Database, http: httpx.Client, server_app: Starlette
) -> None:
    await _page(alice, db, "alice")
    alice_page, url = _url(alice)
    signer: PageUrlSigner = server_app.state.page_urls

    alice_id = int(re.search(r"[?&]o=(\d+)", url).group(1))  # type: ignore[union-attr]
    expired = signer.path(
        alice_id, alice_page, 0, now=time.time() - 2 * signer.ttl_s - signer.step_s
    )
    assert http.get(expired).status_code == 403
    assert _code(http.get(expired)) == "FORBIDDEN"
    tampered = url[:-2] + ("AA" if not url.endswith("AA") else "BB")
    assert http.get(tampered).status_code == 403
    longer = re.sub(r"exp=(\d+)", lambda m: f"exp={int(m.group(1)) + 900}", url)
    assert http.get(longer).status_code == 403
    bigger = url.replace("w=0", "w=1280")
    assert http.get(bigger).status_code == 403

    # Bob signs links to his own page only; pointed at Alice's, his link does not verify,
    # and it answers as a page that does not exist would: nothing is revealed.
    await _page(bob, db, "bob")
    bob_page, bob_url = _url(bob)
    assert http.get(bob_url).status_code == 200
    turned = bob_url.replace(f"/pages/{bob_page}/", f"/pages/{alice_page}/")
    missing = bob_url.replace(f"/pages/{bob_page}/", "/pages/999999/")
    assert http.get(turned).status_code == http.get(missing).status_code == 403
    assert http.get(turned).json() == http.get(missing).json()
    # Nor does his link with Alice's owner id in it.
    bob_id = int(re.search(r"[?&]o=(\d+)", bob_url).group(1))  # type: ignore[union-attr]
    assert http.get(bob_url.replace(f"o={bob_id}&", f"o={alice_id}&")).status_code == 403
    # His token does not fetch it either.
    assert http.get(url.split("?")[0], headers=bob.headers).status_code == 404


async def test_a_link_to_a_deleted_page_is_not_found(
    alice: Api, db: Database, http: httpx.Client
) -> None:
    await _page(alice, db, "alice")
    _, url = _url(alice)
    alice.data('mutation { deleteDocument(collectionName: "c", name: "d") }')
    assert http.get(url).status_code == 404
