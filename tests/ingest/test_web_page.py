"""Web pages: real Chromium lays out a real page served on loopback, cut into page images,
and reaches nothing but what the guard allows (the site: tests/web_site.py)."""

from __future__ import annotations

import base64
import io
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.errors import ErrorCode, PaliError
from app.ingest.fetch import UrlPolicy
from app.ingest.formats import HTML
from app.ingest.render import BadDocument, Renderer, RenderOptions
from app.ingest.web_page import WebPageOptions, device_scale, slice_bounds
from tests.web_site import (
    GREEN,
    PRIVATE_HOST,
    RED,
    PrivateHost,
    Site,
    needs_chromium,
    page_html,
    serve_private_host,
    serve_site,
)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web-pages"


@pytest.fixture(scope="module")
def private_host() -> Iterator[PrivateHost]:
    needs_chromium()
    with serve_private_host() as host:
        yield host


@pytest.fixture(scope="module")
def site(private_host: PrivateHost) -> Iterator[Site]:
    with serve_site(private_host) as served:
        yield served


OPTIONS = RenderOptions(image_format="png", web=WebPageOptions(timeout_s=20, max_pages=4))


@pytest.fixture(scope="module")
async def renderer() -> AsyncIterator[Renderer]:
    needs_chromium()
    pool = Renderer(OPTIONS, workers=2)
    yield pool
    await pool.close_browser()
    pool.close()


def write(tmp_path: Path, html: str) -> Path:
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    return path


def colour_share(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 12) -> float:
    """The share of an image's pixels within `tolerance` of `colour`."""
    pixels = np.asarray(image.convert("RGB"), dtype=np.int16)
    close = (np.abs(pixels - np.array(colour, dtype=np.int16)) <= tolerance).all(axis=-1)
    return float(close.mean())


async def test_a_page_becomes_page_sized_screenshots_with_their_own_text(
    site: Site, renderer: Renderer, tmp_path: Path
) -> None:
    site.recorder.hits.clear()
    html = page_html(site.port, site.private)
    started = time.perf_counter()
    pages = await renderer.render_web_page(write(tmp_path, html), site.url, site.policy())
    took = time.perf_counter() - started
    print(f"web page: {len(pages)} pages in {took:.2f} s")  # a measured figure (-s shows it)

    assert [page.number for page in pages] == [1, 2, 3]  # three sections of 1656 CSS px
    scale = device_scale(OPTIONS.web, OPTIONS.max_pixels)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for page in pages:
        assert page.mime == "image/png"
        with Image.open(io.BytesIO(page.image)) as decoded:
            assert decoded.size == (page.width, page.height)
            assert abs(page.width - 1280 * scale) <= 1 and abs(page.height - 1656 * scale) <= 1
            assert page.width * page.height <= OPTIONS.max_pixels
        (ARTIFACTS / f"guide-page-{page.number}.png").write_bytes(page.image)
    with Image.open(io.BytesIO(pages[0].image)) as first:
        assert first.getpixel((8, 8)) == RED  # the banner: the stylesheet was applied
        assert colour_share(first, GREEN) > 0.02  # the logo: an image subresource
    with Image.open(io.BytesIO(pages[1].image)) as second:
        assert colour_share(second, RED) == colour_share(second, GREEN) == 0

    # Each page holds the text laid out on it; script-written text counts.
    texts = [page.text or "" for page in pages]
    assert "alphafern" in texts[0] and "Pond field guide" in texts[0]
    assert "bravomoss" in texts[1] and "bravomoss" not in texts[0] + texts[2]
    assert "charliereed" in texts[2] and "deltaplum" in texts[2]
    assert "root:" not in "".join(texts)  # the file:// iframe showed nothing

    # The site served the stylesheet, the logo and the bounce; nothing reached the private
    # host: not an image, a redirect, a fetch, a beacon, a WebSocket or WebRTC's STUN.
    assert {"/style.css", "/logo.png", "/bounce"} <= set(site.recorder.hits)
    assert "/intranet.png" not in site.recorder.hits
    assert "/guide.html" not in site.recorder.hits  # the stored HTML is what was laid out
    assert site.private.hits == []


async def test_refusals_say_why(site: Site, renderer: Renderer) -> None:
    html = page_html(site.port, site.private).encode()
    capture = await renderer.browser.capture(html, site.url, site.policy())
    refused = "\n".join(capture.refused)
    secret = f"http://{PRIVATE_HOST}:{site.private.port}"
    assert f"{secret}/direct.png: URL {secret + '/direct.png'!r} points to a non-public" in refused
    assert f"redirected.png' points to a non-public address ({PRIVATE_HOST})" in refused
    assert "intranet.png' points to a non-public address (10.0.0.5)" in refused
    assert f"{secret}/fetched" in refused and f"{secret}/beacon" in refused
    assert f"http://site.test:{site.port}/logo.png" in capture.fetched
    assert site.private.hits == []


async def test_the_browser_itself_has_no_network(
    site: Site, renderer: Renderer, tmp_path: Path
) -> None:
    """Even with the guard off (everything allowed), requests that routing does not see —
    WebSockets, WebRTC — reach nothing: the browser cannot connect anywhere itself."""
    html = page_html(site.port, site.private).encode()
    await renderer.browser.capture(html, site.url, site.unguarded())
    assert site.private.hits  # with the guard off, the fetcher did reach the private host...
    reached = {hit.split()[1] for hit in site.private.hits if not hit.startswith("UDP")}
    assert "/socket" not in reached  # ...but the browser's own WebSocket did not
    assert not [hit for hit in site.private.hits if hit.startswith("UDP")]  # nor STUN
    site.private.hits.clear()


async def test_network_isolation_without_a_namespace(site: Site, tmp_path: Path) -> None:
    """Where no network namespace can be made, the resolver and WebRTC flags still hold."""
    options = RenderOptions(image_format="png", web=WebPageOptions(isolate_network=False))
    pool = Renderer(options, workers=1)
    try:
        html = page_html(site.port, site.private).encode()
        capture = await pool.browser.capture(html, site.url, site.unguarded())
        assert not pool.browser.isolated and len(capture.images) == 3
    finally:
        await pool.close_browser()
        pool.close()
    reached = {hit.split()[1] for hit in site.private.hits if not hit.startswith("UDP")}
    assert "/socket" not in reached
    assert not [hit for hit in site.private.hits if hit.startswith("UDP")]
    site.private.hits.clear()


async def test_an_uploaded_page_loads_nothing_but_data_uris(
    site: Site, renderer: Renderer, tmp_path: Path
) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 400), GREEN).save(buffer, format="PNG")
    inline = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    html = (
        "<!doctype html><html><body style='margin:0'><p>echolily offline</p>"
        f"<img src='{inline}'><img src='http://site.test:{site.port}/logo.png'>"
        f"<link rel=stylesheet href='http://127.0.0.1:{site.port}/style.css'></body></html>"
    )
    site.recorder.hits.clear()
    capture = await renderer.browser.capture(html.encode(), None, site.policy())
    assert len(capture.images) == 1 and "echolily offline" in (capture.texts[0] or "")
    with Image.open(io.BytesIO(capture.images[0])) as shot:
        assert colour_share(shot, GREEN) > 0.05  # the data: URI image
    assert len(capture.refused) == 2 and capture.fetched == []
    assert all("loads nothing from the network" in reason for reason in capture.refused)
    assert site.recorder.hits == []


async def test_a_long_page_stops_at_the_page_limit(renderer: Renderer, tmp_path: Path) -> None:
    html = "<!doctype html><body style='margin:0'>" + "<div style='height:1000px'>x</div>" * 60
    options = WebPageOptions(max_pages=3)
    assert slice_bounds(60_000, options) == [0, 1656, 3312, 4968]
    assert slice_bounds(1700, options) == [0, 1700]  # a sliver joins the page before
    assert slice_bounds(2000, options) == [0, 1656, 2000]
    pages = await renderer.render_web_page(write(tmp_path, html), None, UrlPolicy())
    assert len(pages) == OPTIONS.web.max_pages == 4


async def test_a_page_that_never_loads_fails_and_the_browser_recovers(
    renderer: Renderer, tmp_path: Path
) -> None:
    quick = Renderer(RenderOptions(web=WebPageOptions(timeout_s=2)), workers=1)
    try:
        stuck = "<!doctype html><body>x<script>while (true) {}</script></body>"
        with pytest.raises(BadDocument, match="did not finish loading within 2 s"):
            await quick.render_web_page(write(tmp_path, stuck), None, UrlPolicy())
        later = (
            "<!doctype html><body>x<script>addEventListener('load', "
            "() => setTimeout(() => { while (true) {} }, 50))</script>"
        )
        with pytest.raises(BadDocument, match="scripts kept it busy"):
            await quick.render_web_page(write(tmp_path, later), None, UrlPolicy())
        fine = "<!doctype html><body><p>foxglove</p></body>"
        (page,) = await quick.render_web_page(write(tmp_path, fine), None, UrlPolicy())
        assert page.text == "foxglove"
    finally:
        await quick.close_browser()
        quick.close()


async def test_missing_chromium_is_unsupported_at_upload(tmp_path: Path) -> None:
    pool = Renderer(RenderOptions(web=WebPageOptions(chromium="no-such-chromium")), workers=1)
    try:
        with pytest.raises(PaliError) as info:
            await pool.check(write(tmp_path, "<!doctype html><p>x</p>"), HTML)
    finally:
        pool.close()
    assert info.value.code is ErrorCode.UNSUPPORTED_MEDIA_TYPE
    assert "apt-get install chromium" in info.value.message
