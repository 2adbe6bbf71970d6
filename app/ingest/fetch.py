"""Fetching a document by URL without becoming a proxy into the private network (SSRF).

Each hop is resolved once; every address it resolves to must be public (not loopback,
private, link-local, multicast or reserved) and its port allowed (80 and 443 unless
`PALIAPI_URL_ALLOWED_PORTS` says more). The connection then goes to the address that was
checked, never to a second resolution (no DNS rebinding window), with the `Host` header and
TLS (SNI and certificate check) still on the hostname. Redirects are followed here, hop by
hop, each checked the same way. `PALIAPI_ALLOW_PRIVATE_URLS` lifts the address and port
checks (tests, trusted networks). The body streams to a temporary file with size and time
limits. A web page's subresources (app/ingest/web_page.py) are fetched by the same rules.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import SplitResult, urljoin, urlsplit

import httpx

from app.errors import ErrorCode, PaliError, bad_input

MAX_REDIRECTS = 5
DEFAULT_PORTS = {"http": 80, "https": 443}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# host, port -> the addresses it resolves to; the seam tests use to control DNS answers.
Resolver = Callable[[str, int], Awaitable[list[str]]]


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    return address.is_global and not address.is_multicast


@dataclass(frozen=True)
class UrlPolicy:
    """Where a URL may lead: which ports, which addresses, and how names are resolved."""

    allowed_ports: frozenset[int] = frozenset(DEFAULT_PORTS.values())
    allow_private: bool = False
    resolver: Resolver = field(default=system_resolver)

    def address_allowed(self, address: IPAddress) -> bool:
        return self.allow_private or is_public(address)

    def port_allowed(self, port: int) -> bool:
        return self.allow_private or port in self.allowed_ports


@dataclass(frozen=True)
class Target:
    """One hop, checked: the URL as given, and the address to dial for it."""

    url: str
    address: IPAddress

    def pinned(self) -> tuple[str, dict[str, str], dict[str, str]]:
        """The URL with the host replaced by the checked address; the Host header; SNI."""
        parts = urlsplit(self.url)
        assert parts.hostname is not None
        literal = f"[{self.address}]" if self.address.version == 6 else str(self.address)
        netloc = literal if parts.port is None else f"{literal}:{parts.port}"
        host = parts.netloc.rpartition("@")[2]  # never forward userinfo as the Host
        url = parts._replace(netloc=netloc).geturl()
        return url, {"Host": host}, {"sni_hostname": parts.hostname}


async def check_url(url: str, policy: UrlPolicy) -> Target:
    """Resolve `url`'s host once and check the port and every address; BAD_USER_INPUT if not."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # what urlsplit makes of a malformed URL ("http://[x")
        raise bad_input(f"URL {url!r} is not a valid URL.") from exc
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise bad_input(f"URL {url!r} is not an http(s) URL.")
    port = _port(parts, url)
    if not policy.port_allowed(port):
        allowed = ", ".join(str(p) for p in sorted(policy.allowed_ports))
        raise bad_input(
            f"URL {url!r} uses port {port}; only {allowed} are allowed (PALIAPI_URL_ALLOWED_PORTS)."
        )
    try:
        answers = (
            [parts.hostname]
            if _is_literal(parts.hostname)
            else await policy.resolver(parts.hostname, port)
        )
    except (OSError, UnicodeError) as exc:
        raise bad_input(f"The host {parts.hostname!r} could not be resolved.") from exc
    addresses = list(dict.fromkeys(ipaddress.ip_address(a.split("%")[0]) for a in answers))
    if not addresses:
        raise bad_input(f"The host {parts.hostname!r} could not be resolved.")
    for address in addresses:
        # Every answer, not just the one dialled: a mixed answer is a rebinding attempt.
        if not policy.address_allowed(address):
            raise bad_input(f"URL {url!r} points to a non-public address ({address}); refused.")
    return Target(url, addresses[0])


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _port(parts: SplitResult, url: str) -> int:
    try:
        return parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError as exc:
        raise bad_input(f"URL {url!r} has an invalid port.") from exc


@dataclass(frozen=True)
class Fetched:
    """A document downloaded to a temporary file (the caller deletes it)."""

    path: Path
    size: int
    url: str  # where it was found, after redirects
    content_type: str | None  # as the server labelled it (the bytes decide the type, mostly)


@dataclass(frozen=True)
class Resource:
    """A web page's subresource, fetched by the same rules; any HTTP status."""

    url: str  # after redirects
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def new_client(time_limit: float) -> httpx.AsyncClient:
    """The HTTP client every fetch uses: no automatic redirects (each hop is checked here)."""
    # trust_env off: a proxy from the environment would dial the hostname, not the address.
    return httpx.AsyncClient(timeout=time_limit, follow_redirects=False, trust_env=False)


async def fetch_document(
    url: str, *, max_bytes: int, time_limit: float, policy: UrlPolicy
) -> Fetched:
    """Download `url` (HTTP 200 only) to a temporary file, within `time_limit` in all."""
    async with new_client(time_limit) as client:
        try:
            async with asyncio.timeout(time_limit):
                final, response = await _open(client, url, policy, {})
                try:
                    if response.status_code != 200:
                        raise bad_input(f"Fetching {final!r} answered HTTP {response.status_code}.")
                    path, size = await _save(response, max_bytes)
                finally:
                    await response.aclose()
        except (httpx.HTTPError, TimeoutError) as exc:
            raise _failed(url, exc) from exc
    return Fetched(path, size, final, response.headers.get("content-type"))


async def fetch_resource(
    client: httpx.AsyncClient,
    url: str,
    *,
    headers: dict[str, str],
    max_bytes: int,
    time_limit: float,
    policy: UrlPolicy,
) -> Resource:
    """GET a web page's subresource into memory: every hop checked as documents are, the
    answer passed on whatever its status. PaliError when refused, too large or failed."""
    try:
        async with asyncio.timeout(time_limit):
            final, response = await _open(client, url, policy, headers)
            try:
                too_large = f"{url!r} exceeds {max_bytes:,} bytes."
                body = b"".join([c async for c in _bounded(response, max_bytes, too_large)])
            finally:
                await response.aclose()
    except (httpx.HTTPError, TimeoutError) as exc:
        raise _failed(url, exc) from exc
    return Resource(final, response.status_code, list(response.headers.items()), body)


async def _open(
    client: httpx.AsyncClient, url: str, policy: UrlPolicy, headers: dict[str, str]
) -> tuple[str, httpx.Response]:
    """GET `url`, following redirects hop by hop, each one checked; the final URL and its
    response, streaming (the caller closes it)."""
    for _ in range(MAX_REDIRECTS + 1):
        target = await check_url(url, policy)
        pinned, host, sni = target.pinned()
        request = client.build_request("GET", pinned, headers={**headers, **host}, extensions=sni)
        try:
            response = await client.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise _failed(url, exc) from exc
        if response.is_redirect and "location" in response.headers:
            await response.aclose()
            url = urljoin(url, response.headers["location"])
            continue
        return url, response
    raise bad_input(f"Fetching {url!r} took more than {MAX_REDIRECTS} redirects.")


def _failed(url: str, exc: Exception) -> PaliError:
    return bad_input(f"Fetching {url!r} failed: {type(exc).__name__} {exc}".strip())


async def _bounded(
    response: httpx.Response, max_bytes: int, too_large: str
) -> AsyncIterator[bytes]:
    """The response's body in chunks, PAYLOAD_TOO_LARGE (`too_large`) once past `max_bytes`."""
    size = 0
    async for chunk in response.aiter_bytes(1 << 16):
        size += len(chunk)
        if size > max_bytes:
            raise PaliError(ErrorCode.PAYLOAD_TOO_LARGE, too_large)
        yield chunk


async def _save(response: httpx.Response, max_bytes: int) -> tuple[Path, int]:
    too_large = f"The document at the URL exceeds {max_bytes // (1 << 20)} MiB."
    with tempfile.NamedTemporaryFile(prefix="paliapi-url-", delete=False) as out:
        try:
            async for chunk in _bounded(response, max_bytes, too_large):
                out.write(chunk)
        except BaseException:
            Path(out.name).unlink(missing_ok=True)  # noqa: ASYNC240
            raise
        return Path(out.name), out.tell()
