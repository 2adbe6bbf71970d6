"""Fetching a document by URL without becoming a proxy into the private network (SSRF).

Every hop (redirects included) is resolved first and refused if any address is loopback,
private, link-local, multicast or reserved, unless `PALIAPI_ALLOW_PRIVATE_URLS` is set.
The body streams to a temporary file with a size and a time limit.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from app.errors import ErrorCode, PaliError, bad_input

MAX_REDIRECTS = 5


async def check_public(url: str, *, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad_input(f"URL {url!r} is not an http(s) URL.")
    if allow_private:
        return
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            parts.hostname, parts.port or 443, type=socket.SOCK_STREAM
        )
    except socket.gaierror as exc:
        raise bad_input(f"The host {parts.hostname!r} could not be resolved.") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:
            raise bad_input(f"URL {url!r} points to a non-public address ({address}); refused.")


async def fetch_to_file(
    url: str, *, max_bytes: int, time_limit: float, allow_private: bool
) -> tuple[Path, int]:
    """Download `url` to a temporary file; return its path and size. The caller deletes it."""
    async with httpx.AsyncClient(timeout=time_limit, follow_redirects=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            await check_public(url, allow_private=allow_private)
            try:
                async with asyncio.timeout(time_limit), client.stream("GET", url) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    if response.status_code != 200:
                        raise bad_input(f"Fetching {url!r} answered HTTP {response.status_code}.")
                    return await _save(response, max_bytes)
            except (httpx.HTTPError, TimeoutError) as exc:
                raise bad_input(
                    f"Fetching {url!r} failed: {type(exc).__name__} {exc}".strip()
                ) from exc
    raise bad_input(f"Fetching {url!r} took more than {MAX_REDIRECTS} redirects.")


async def _save(response: httpx.Response, max_bytes: int) -> tuple[Path, int]:
    size = 0
    with tempfile.NamedTemporaryFile(prefix="paliapi-url-", delete=False) as out:
        try:
            async for chunk in response.aiter_bytes(1 << 16):
                size += len(chunk)
                if size > max_bytes:
                    raise PaliError(
                        ErrorCode.PAYLOAD_TOO_LARGE,
                        f"The document at the URL exceeds {max_bytes // (1 << 20)} MiB.",
                    )
                out.write(chunk)
        except BaseException:
            Path(out.name).unlink(missing_ok=True)  # noqa: ASYNC240
            raise
    return Path(out.name), size
