"""URL fetching: no requests into private networks (SSRF), size and time limits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from app.errors import ErrorCode, PaliError
from app.ingest.fetch import check_public, fetch_to_file
from tests import files
from tests.conftest import serve_in_thread

PDF = files.pdf(2)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x.pdf",
        "http://localhost:8000/x.pdf",
        "http://10.0.0.8/x.pdf",
        "http://192.168.1.1/x.pdf",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/x.pdf",
        "http://0.0.0.0/x.pdf",
    ],
)
async def test_private_addresses_are_refused(url: str) -> None:
    with pytest.raises(PaliError) as info:
        await check_public(url, allow_private=False)
    assert info.value.code is ErrorCode.BAD_USER_INPUT
    assert "non-public address" in info.value.message


@pytest.mark.parametrize("url", ["ftp://example.com/x.pdf", "file:///etc/passwd", "not a url"])
async def test_only_http_urls(url: str) -> None:
    with pytest.raises(PaliError, match="not an http"):
        await check_public(url, allow_private=False)


@pytest.fixture(scope="module")
def origin() -> Iterator[str]:
    async def document(request: Request) -> Response:
        return Response(PDF, media_type="application/pdf")

    async def moved(request: Request) -> Response:
        return RedirectResponse("/doc.pdf")

    async def big(request: Request) -> Response:
        return Response(b"%PDF-" + b"0" * 300_000)

    async def missing(request: Request) -> Response:
        return Response(status_code=404)

    app = Starlette(
        routes=[
            Route("/doc.pdf", document),
            Route("/moved", moved),
            Route("/big.pdf", big),
            Route("/missing.pdf", missing),
        ]
    )
    with serve_in_thread(app) as url:
        yield url


async def fetch(url: str, max_bytes: int = 1_000_000) -> bytes:
    path, size = await fetch_to_file(url, max_bytes=max_bytes, time_limit=5, allow_private=True)
    try:
        data = Path(path).read_bytes()
        assert len(data) == size
        return data
    finally:
        path.unlink()


async def test_fetches_and_follows_redirects(origin: str) -> None:
    assert await fetch(f"{origin}/doc.pdf") == PDF
    assert await fetch(f"{origin}/moved") == PDF


async def test_size_limit_and_errors(origin: str) -> None:
    with pytest.raises(PaliError) as info:
        await fetch(f"{origin}/big.pdf", max_bytes=100_000)
    assert info.value.code is ErrorCode.PAYLOAD_TOO_LARGE
    with pytest.raises(PaliError, match="HTTP 404"):
        await fetch(f"{origin}/missing.pdf")


async def test_loopback_origin_is_refused_by_default(origin: str) -> None:
    with pytest.raises(PaliError, match="non-public"):
        await fetch_to_file(f"{origin}/doc.pdf", max_bytes=10**6, time_limit=5, allow_private=False)
