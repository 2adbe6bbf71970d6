"""URL fetching: no requests into private networks (SSRF), size and time limits.

The origins are real HTTP servers on loopback. DNS answers come from a resolver the tests
control, and `LoopbackIsPublic` treats 127.0.0.1 (only) as a public address, so a redirect
from a "public" origin to a private address can be shown on one machine.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from app.errors import ErrorCode, PaliError
from app.ingest.fetch import (
    IPAddress,
    UrlPolicy,
    check_url,
    fetch_document,
    fetch_resource,
    is_public,
    new_client,
)
from tests import files
from tests.conftest import serve_in_thread

PDF = files.pdf(2)
PUBLIC = "93.184.216.34"


class Dns:
    """A resolver with fixed answers that records what it was asked."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        if host not in self.answers:
            raise OSError(f"no such host {host}")
        return self.answers[host]


class LoopbackIsPublic(UrlPolicy):
    def address_allowed(self, address: IPAddress) -> bool:
        return str(address) == "127.0.0.1" or is_public(address)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x.pdf",
        "http://localhost/x.pdf",
        "http://10.0.0.8/x.pdf",
        "http://192.168.1.1/x.pdf",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/x.pdf",
        "http://[::ffff:127.0.0.1]/x.pdf",
        "http://0.0.0.0/x.pdf",
    ],
)
async def test_private_addresses_are_refused(url: str) -> None:
    with pytest.raises(PaliError) as info:
        await check_url(url, UrlPolicy())
    assert info.value.code is ErrorCode.BAD_USER_INPUT
    assert "non-public address" in info.value.message


@pytest.mark.parametrize("url", ["ftp://example.com/x.pdf", "file:///etc/passwd", "not a url"])
async def test_only_http_urls(url: str) -> None:
    with pytest.raises(PaliError, match="not an http"):
        await check_url(url, UrlPolicy())


@pytest.mark.parametrize("url", ["http://[x/doc.pdf", "https://[::1/doc.pdf"])
async def test_a_malformed_url_is_bad_input(url: str) -> None:
    with pytest.raises(PaliError, match="not a valid URL") as info:
        await check_url(url, UrlPolicy())
    assert info.value.code is ErrorCode.BAD_USER_INPUT


async def test_only_ports_80_and_443_unless_allowed() -> None:
    dns = Dns({"docs.example": [PUBLIC]})
    for url in ("http://docs.example/x.pdf", "https://docs.example:443/x.pdf"):
        assert str((await check_url(url, UrlPolicy(resolver=dns))).address) == PUBLIC
    with pytest.raises(PaliError, match="port 6379; only 80, 443 are allowed"):
        await check_url("http://docs.example:6379/", UrlPolicy(resolver=dns))
    assert dns.asked == ["docs.example", "docs.example"]  # refused before any lookup
    wider = UrlPolicy(allowed_ports=frozenset({80, 443, 8080}), resolver=dns)
    assert str((await check_url("http://docs.example:8080/x.pdf", wider)).address) == PUBLIC


async def test_every_address_of_an_answer_is_checked() -> None:
    dns = Dns({"mixed.example": [PUBLIC, "10.1.2.3"], "gone.example": []})
    with pytest.raises(PaliError, match=r"non-public address \(10.1.2.3\)"):
        await check_url("https://mixed.example/x.pdf", UrlPolicy(resolver=dns))
    with pytest.raises(PaliError, match="could not be resolved"):
        await check_url("https://gone.example/x.pdf", UrlPolicy(resolver=dns))
    with pytest.raises(PaliError, match="could not be resolved"):
        await check_url("https://unknown.example/x.pdf", UrlPolicy(resolver=dns))


@pytest.fixture(scope="module")
def origin() -> Iterator[str]:
    async def document(request: Request) -> Response:
        return Response(PDF, media_type="application/pdf")

    async def host(request: Request) -> Response:
        return PlainTextResponse(request.headers["host"])

    async def moved(request: Request) -> Response:
        return RedirectResponse(request.query_params.get("to", "/doc.pdf"))

    async def loop(request: Request) -> Response:
        return RedirectResponse("/loop")

    async def big(request: Request) -> Response:
        return Response(b"%PDF-" + b"0" * 300_000)

    async def missing(request: Request) -> Response:
        return Response(status_code=404)

    app = Starlette(
        routes=[
            Route("/doc.pdf", document),
            Route("/host", host),
            Route("/moved", moved),
            Route("/loop", loop),
            Route("/big.pdf", big),
            Route("/missing.pdf", missing),
        ]
    )
    with serve_in_thread(app) as url:
        yield url


def port_of(origin: str) -> int:
    return int(origin.rsplit(":", 1)[1])


async def fetch(url: str, policy: UrlPolicy | None = None, max_bytes: int = 1_000_000) -> bytes:
    fetched = await fetch_document(
        url, max_bytes=max_bytes, time_limit=5, policy=policy or UrlPolicy(allow_private=True)
    )
    try:
        data = fetched.path.read_bytes()
        assert len(data) == fetched.size
        return data
    finally:
        fetched.path.unlink()


async def test_fetches_and_follows_redirects(origin: str) -> None:
    assert await fetch(f"{origin}/doc.pdf") == PDF
    assert await fetch(f"{origin}/moved") == PDF


async def test_connects_to_the_checked_address_with_the_hostname_as_host(origin: str) -> None:
    """The name resolves once; a second answer (a rebinding DNS) is never asked for."""
    port = port_of(origin)

    class Rebinding(Dns):
        async def __call__(self, host: str, port: int) -> list[str]:
            answer = await super().__call__(host, port)
            self.answers[host] = ["10.9.9.9"]  # what an attacker's DNS says the second time
            return answer

    dns = Rebinding({"docs.test": ["127.0.0.1"]})
    policy = LoopbackIsPublic(allowed_ports=frozenset({port}), resolver=dns)
    # `docs.test` exists only in our resolver: the request can only have gone to 127.0.0.1.
    assert await fetch(f"http://docs.test:{port}/host", policy) == f"docs.test:{port}".encode()
    assert dns.asked == ["docs.test"]


async def test_every_redirect_hop_is_checked(origin: str) -> None:
    port = port_of(origin)
    dns = Dns({"docs.test": ["127.0.0.1"], "intranet.test": ["10.0.0.5"]})
    policy = LoopbackIsPublic(allowed_ports=frozenset({port}), resolver=dns)
    start = f"http://docs.test:{port}/moved?to="
    assert await fetch(start + "/doc.pdf", policy) == PDF
    with pytest.raises(PaliError, match=r"non-public address \(127.0.0.2\)"):
        await fetch(start + f"http://127.0.0.2:{port}/doc.pdf", policy)
    with pytest.raises(PaliError, match=r"non-public address \(10.0.0.5\)"):
        await fetch(start + f"http://intranet.test:{port}/doc.pdf", policy)
    with pytest.raises(PaliError, match="uses port 22"):
        await fetch(start + "http://docs.test:22/", policy)
    with pytest.raises(PaliError, match="not an http"):
        await fetch(start + "file:///etc/passwd", policy)


async def test_redirect_loops_end(origin: str) -> None:
    with pytest.raises(PaliError, match="more than 5 redirects"):
        await fetch(f"{origin}/moved?to=/moved%3Fto%3D/loop")


async def test_size_limit_and_errors(origin: str) -> None:
    with pytest.raises(PaliError) as info:
        await fetch(f"{origin}/big.pdf", max_bytes=100_000)
    assert info.value.code is ErrorCode.PAYLOAD_TOO_LARGE
    with pytest.raises(PaliError, match="HTTP 404"):
        await fetch(f"{origin}/missing.pdf")


async def test_a_web_page_resource_is_read_whole_within_its_limit(origin: str) -> None:
    policy = UrlPolicy(allow_private=True)
    async with new_client(5) as client:
        resource = await fetch_resource(
            client,
            f"{origin}/doc.pdf",
            headers={},
            max_bytes=1_000_000,
            time_limit=5,
            policy=policy,
        )
        assert (resource.status, resource.body) == (200, PDF)
        with pytest.raises(PaliError, match="exceeds 100,000 bytes") as info:
            await fetch_resource(
                client,
                f"{origin}/big.pdf",
                headers={},
                max_bytes=100_000,
                time_limit=5,
                policy=policy,
            )
    assert info.value.code is ErrorCode.PAYLOAD_TOO_LARGE


async def test_loopback_origin_is_refused_by_default(origin: str) -> None:
    port = port_of(origin)
    with pytest.raises(PaliError, match="non-public"):
        await fetch(f"{origin}/doc.pdf", UrlPolicy(allowed_ports=frozenset({port})))
    with pytest.raises(PaliError, match=f"port {port}"):
        await fetch(f"{origin}/doc.pdf", UrlPolicy())
