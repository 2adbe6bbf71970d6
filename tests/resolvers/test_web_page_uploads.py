"""Web pages through the API: `uploadDocument(url:)` of an HTML page, with the guard on.

The site and the private host are real servers on loopback (tests/web_site.py); the API's
document-URL policy is the site's (its DNS names, 127.0.0.1 counted as public), so the
upload, the worker's Chromium and every subresource go through the real guard.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image

from app.services import outbound
from tests.conftest import Api
from tests.resolvers.test_collections import create
from tests.resolvers.test_search import hits, search
from tests.resolvers.test_uploads import UPLOAD, upload_file
from tests.web_site import (
    PRIVATE_HOST,
    PrivateHost,
    Site,
    needs_chromium,
    serve_private_host,
    serve_site,
)


@pytest.fixture(scope="module")
def private_host() -> Iterator[PrivateHost]:
    needs_chromium()
    with serve_private_host() as host:
        yield host


@pytest.fixture(scope="module")
def site(private_host: PrivateHost) -> Iterator[Site]:
    with serve_site(private_host) as served:
        yield served


@pytest.fixture
def guarded(site: Site, monkeypatch: pytest.MonkeyPatch) -> Site:
    """The API's URL policy for this test: the site's DNS, loopback's 127.0.0.1 public."""
    monkeypatch.setattr(outbound, "url_policy", site.policy)
    site.recorder.hits.clear()
    site.private.hits.clear()
    return site


def test_a_web_page_by_url_becomes_pages_searchable_by_their_text(
    alice: Api, guarded: Site
) -> None:
    create(alice, "docs")
    # Through a redirect: the page is stored with the address it was found at.
    start = f"http://site.test:{guarded.port}/bounce?to=/guide.html"
    document = alice.data(UPLOAD, {"name": "guide", "url": start, "wait": True})["uploadDocument"]
    assert document["status"] == "READY", document["error"]
    assert (document["pageCount"], document["mimeType"], document["sourceUrl"]) == (
        3,
        "text/html",
        guarded.url,
    )
    pages = [edge["node"] for edge in document["pages"]["edges"]]
    assert [page["number"] for page in pages] == [1, 2, 3]
    assert "bravomoss" in pages[1]["text"] and "bravomoss" not in pages[0]["text"]
    image = alice.http.get(pages[1]["imageUrl"], headers=alice.headers)
    assert image.status_code == 200 and image.headers["content-type"] == "image/webp"
    with Image.open(io.BytesIO(image.content)) as decoded:
        assert decoded.size == (pages[1]["width"], pages[1]["height"])
        assert decoded.width * decoded.height <= 1_000_000

    # TEXT search finds each word on the page it is laid out on.
    assert hits(search(alice, query="bravomoss", mode="TEXT")) == [("docs", "guide", 2)]
    assert hits(search(alice, query="deltaplum", mode="TEXT")) == [("docs", "guide", 3)]

    # The page was fetched once (the upload); Chromium laid out the stored copy, fetched its
    # stylesheet and image through the guard, and reached nothing private.
    assert guarded.recorder.hits.count("/guide.html") == 1
    assert {"/style.css", "/logo.png"} <= set(guarded.recorder.hits)
    assert guarded.private.hits == []


def test_a_redirect_to_a_private_address_is_refused_at_upload(alice: Api, guarded: Site) -> None:
    create(alice, "docs")
    secret = f"http://{PRIVATE_HOST}:{guarded.private.port}/guide.html"
    start = f"http://site.test:{guarded.port}/bounce?to={secret}"
    error = alice.error(UPLOAD, {"name": "bounced", "url": start, "wait": True})
    assert error["code"] == "BAD_USER_INPUT"
    assert f"points to a non-public address ({PRIVATE_HOST}); refused" in error["message"]
    assert guarded.recorder.hits == ["/bounce"] and guarded.private.hits == []


def test_an_uploaded_html_file_is_laid_out_offline(alice: Api, guarded: Site) -> None:
    create(alice, "docs")
    html = (
        "<!doctype html><html><body><h1>Offline notes</h1><p>The gingerwort is local.</p>"
        f"<img src='http://site.test:{guarded.port}/logo.png'></body></html>"
    )
    body = upload_file(alice, "notes.html", html.encode())
    document = body["data"]["uploadDocument"]
    assert document["status"] == "READY", document["error"]
    assert (document["pageCount"], document["mimeType"], document["sourceUrl"]) == (
        1,
        "text/html",
        None,
    )
    assert "gingerwort" in document["pages"]["edges"][0]["node"]["text"]
    assert guarded.recorder.hits == []  # an uploaded page loads nothing from the network


def test_the_servers_label_makes_a_bare_page_a_web_page(alice: Api, guarded: Site) -> None:
    """A page without a doctype, in Latin-1: its bytes alone would not say HTML."""
    create(alice, "docs")
    url = f"http://site.test:{guarded.port}/bare.html"
    document = alice.data(UPLOAD, {"name": "bare", "url": url, "wait": True})["uploadDocument"]
    assert document["status"] == "READY", document["error"]
    assert (document["pageCount"], document["mimeType"]) == (1, "text/html")
    assert "Le caf\u00e9 du lac: hazelwort." in document["pages"]["edges"][0]["node"]["text"]
