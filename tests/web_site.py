"""A real web site for the web-page tests: a public site and a private host, both recording.

The site is a real HTTP server on 127.0.0.1; a second one, on 127.0.0.2, plays the private
network and records every request (and UDP datagram) that reaches it. DNS answers come from
a resolver the tests control, and `LoopbackIsPublic` treats 127.0.0.1 (only) as a public
address, so the guard stays on: the site loads, the "private" host must never be reached.
The guide page is three sections of 1656 CSS px (three pages), with a stylesheet, an image,
script-written text, and every kind of request into the private network a page can make.
"""

from __future__ import annotations

import http.server
import io
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from app.ingest.fetch import UrlPolicy
from app.settings import settings
from tests.conftest import serve_in_thread
from tests.ingest.test_fetch import Dns, LoopbackIsPublic

PRIVATE_HOST = "127.0.0.2"


def needs_chromium() -> None:
    """Skip where Chromium is missing, unless PALIAPI_REQUIRE_BROWSER=1 (`make test`) makes
    that a failure."""
    if shutil.which(settings.chromium) is None:
        reason = "Chromium is not installed (`make chromium`, or apt-get install chromium)"
        if os.environ.get("PALIAPI_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


RED, GREEN = (200, 30, 30), (0, 160, 0)
STYLE = """
body { margin: 0; font: 22px/1.5 "DejaVu Sans", sans-serif; color: #222; }
section { height: 1656px; box-sizing: border-box; padding: 48px 64px; overflow: hidden;
          border-bottom: 1px solid #ccc; }
.banner { background: rgb(200, 30, 30); color: white; height: 96px; font-size: 40px;
          line-height: 96px; padding: 0 32px; margin: -48px -64px 32px; }
h1 { font-size: 44px; }
.traps img, .traps iframe { width: 40px; height: 40px; }
"""
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pond field guide</title>
<link rel="stylesheet" href="/style.css"></head>
<body>
<section id="s1">
  <div class="banner">Pond field guide</div>
  <h1>Part one: the shallows</h1>
  <p>The alphafern grows along the shallow edge of the pond, where the water is warm.</p>
  <img src="/logo.png" width="300" height="150" alt="logo">
  <p>{filler}</p>
</section>
<section id="s2">
  <h1>Part two: the deep water</h1>
  <p>Only the bravomoss survives in the deep, cold water at the centre of the pond.</p>
  <p>{filler}</p>
</section>
<section id="s3">
  <h1>Part three: the far bank</h1>
  <p>The charliereed lines the far bank.</p>
  <div class="traps">
    <img src="http://{private}:{secret}/direct.png">
    <img src="/bounce?to=http://{private}:{secret}/redirected.png">
    <img src="http://intranet.test:{port}/intranet.png">
    <iframe src="file:///etc/passwd"></iframe>
  </div>
</section>
<script>
  document.getElementById("s3").insertAdjacentHTML(
    "beforeend", "<p>Written by a script: the deltaplum.</p>");
  try {{ new WebSocket("ws://{private}:{secret}/socket"); }} catch (e) {{}}
  fetch("http://{private}:{secret}/fetched", {{ mode: "no-cors" }}).catch(() => {{}});
  navigator.sendBeacon("http://{private}:{secret}/beacon", "x");
  try {{
    const pc = new RTCPeerConnection({{ iceServers: [{{ urls: "stun:{private}:{udp}" }}] }});
    pc.createDataChannel("x");
    pc.createOffer().then((offer) => pc.setLocalDescription(offer));
  }} catch (e) {{}}
</script>
</body></html>
"""
FILLER = "Reeds, rushes and sedges shelter the frogs. " * 12


def logo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 150), GREEN).save(buffer, format="PNG")
    return buffer.getvalue()


class Recorder:
    """ASGI middleware recording every request's path (HTTP and WebSocket alike)."""

    def __init__(self, app: Starlette) -> None:
        self.app = app
        self.hits: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            self.hits.append(scope["path"])
        await self.app(scope, receive, send)


@dataclass
class PrivateHost:
    """The private network: an HTTP server and a UDP socket on 127.0.0.2, recording all."""

    port: int
    udp_port: int
    hits: list[str] = field(default_factory=list)


@contextmanager
def serve_private_host() -> Iterator[PrivateHost]:
    """The private network's host, for as long as the block runs."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def answer(self) -> None:
            hits.append(f"{self.command} {self.path}")
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(logo())

        do_GET = do_POST = do_HEAD = do_PUT = answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer((PRIVATE_HOST, 0), Handler)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind((PRIVATE_HOST, 0))
    udp.settimeout(0.2)
    stop = threading.Event()

    def listen() -> None:
        while not stop.is_set():
            try:
                _, sender = udp.recvfrom(4096)
            except TimeoutError:
                continue
            hits.append(f"UDP from {sender}")

    threads = [threading.Thread(target=server.serve_forever, daemon=True)]
    threads.append(threading.Thread(target=listen, daemon=True))
    for thread in threads:
        thread.start()
    try:
        yield PrivateHost(server.server_address[1], udp.getsockname()[1], hits)
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        for thread in threads:
            thread.join(timeout=5)
        udp.close()


@dataclass
class Site:
    """The public web site: where the page is, the policy that lets it (only) be reached."""

    port: int
    recorder: Recorder
    private: PrivateHost

    @property
    def url(self) -> str:
        return f"http://site.test:{self.port}/guide.html"

    def policy(self) -> UrlPolicy:
        # The private host's port is allowed: what refuses it must be its address.
        ports = frozenset({self.port, self.private.port})
        return LoopbackIsPublic(allowed_ports=ports, resolver=self.dns())

    def unguarded(self) -> UrlPolicy:
        """No guard at all: every address and port allowed (PALIAPI_ALLOW_PRIVATE_URLS)."""
        return UrlPolicy(allow_private=True, resolver=self.dns())

    @staticmethod
    def dns() -> Dns:
        return Dns({"site.test": ["127.0.0.1"], "intranet.test": ["10.0.0.5"]})


def page_html(port: int, private: PrivateHost) -> str:
    return PAGE.format(
        filler=FILLER,
        private=PRIVATE_HOST,
        secret=private.port,
        udp=private.udp_port,
        port=port,
    )


@contextmanager
def serve_site(private_host: PrivateHost) -> Iterator[Site]:
    """The public site (on 127.0.0.1, a random port), for as long as the block runs."""
    port: list[int] = []

    async def guide(request: Request) -> Response:
        return HTMLResponse(page_html(port[0], private_host))

    async def style(request: Request) -> Response:
        return Response(STYLE, media_type="text/css")

    async def image(request: Request) -> Response:
        return Response(logo(), media_type="image/png")

    async def bounce(request: Request) -> Response:
        return RedirectResponse(request.query_params["to"])

    async def bare(request: Request) -> Response:
        # No doctype, no <html>, not UTF-8: only the server's label says it is a web page.
        body = "<p>Le caf\u00e9 du lac: hazelwort.</p>".encode("latin-1")
        return Response(body, media_type="text/html; charset=iso-8859-1")

    app = Starlette(
        routes=[
            Route("/guide.html", guide),
            Route("/style.css", style),
            Route("/logo.png", image),
            Route("/bounce", bounce),
            Route("/bare.html", bare),
        ]
    )
    recorder = Recorder(app)
    with serve_in_thread(recorder) as base:
        port.append(int(base.rsplit(":", 1)[1]))
        yield Site(port[0], recorder, private_host)
