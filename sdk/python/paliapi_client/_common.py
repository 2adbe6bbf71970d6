"""Pieces both clients share: endpoints, headers, and the search and embed inputs."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .sources import Source, image_base64, open_source

PREFLIGHT = {"Apollo-Require-Preflight": "true"}
"""Multipart requests need a non-simple header so browsers cannot forge them (CSRF)."""

DEFAULT_TIMEOUT_S = 300.0
"""Seconds to connect, and for each read and write of a request.

No request waits for ingestion: `upload(..., wait=True)` sends the upload with `wait: false`
and then polls the document with short queries, so this only has to cover sending the file
(or the server fetching a URL) and a search.
"""

DEFAULT_WAIT_TIMEOUT_S = 600.0
"""How long `upload(..., wait=True)` waits for READY or FAILED (the server's own
`PALIAPI_WAIT_TIMEOUT_S` default); after that it returns the document as it is then."""

TERMINAL_STATUSES = frozenset({"READY", "FAILED"})


def poll_delays(timeout: float, first: float = 0.25, most: float = 2.0) -> Iterator[float]:
    """Pauses between status polls, growing from `first` to `most`, for `timeout` seconds."""
    deadline = time.monotonic() + timeout
    pause = first
    while (left := deadline - time.monotonic()) > 0:
        yield min(pause, left)
        pause = min(pause * 1.5, most)


def upload_check(collection: str, name: str) -> str:
    """How to find out whether an upload whose answer was lost happened."""
    return (
        f"check with document({collection!r}, {name!r}) before uploading it again "
        f"(NotFoundError means it was not stored), and follow its ingestion with "
        f"watch({collection!r}, {name!r})"
    )


def graphql_endpoint(url: str) -> str:
    url = url.rstrip("/")
    return url if url.endswith("/graphql") else f"{url}/graphql"


def websocket_endpoint(url: str) -> str:
    endpoint = graphql_endpoint(url)
    return "ws" + endpoint.removeprefix("http") if endpoint.startswith("http") else endpoint


def auth_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def search_input(
    query: str | None,
    *,
    image: Source | None,
    collection: str | None,
    top_k: int,
    mode: str,
    collection_filter: Any,
    document_filter: Any,
    exact: bool,
) -> dict[str, Any]:
    """The `SearchInput` fields that were given (images go as base64: retries can resend them)."""
    fields: dict[str, Any] = {"topK": top_k, "mode": mode.upper(), "exact": exact}
    if query is not None:
        fields["query"] = query
    if image is not None:
        fields["imageBase64"] = image_base64(image)
    if collection is not None:
        fields["collectionName"] = collection
    if collection_filter is not None:
        fields["collectionFilter"] = collection_filter
    if document_filter is not None:
        fields["documentFilter"] = document_filter
    return fields


def read_images(images: Sequence[Source] | None) -> list[tuple[str, bytes, str]] | None:
    """Each image's (filename, bytes, content type), read once: every attempt sends them."""
    if images is None:
        return None
    read = []
    for image in images:
        filename, stream, content_type = open_source(image)
        with stream:
            read.append((filename, stream.read(), content_type))
    return read


def embed_input(
    queries: Sequence[str] | None,
    images: list[tuple[str, bytes, str]] | None,
    upload: Callable[..., Any],
) -> dict[str, Any]:
    """The `EmbedInput` fields that were given; each image (from `read_images`) a fresh
    `upload(filename=, content=, content_type=)` part, as an attempt consumes its streams."""
    fields: dict[str, Any] = {}
    if queries is not None:
        fields["queries"] = list(queries)
    if images is not None:
        fields["images"] = [
            upload(filename=name, content=io.BytesIO(data), content_type=content_type)
            for name, data, content_type in images
        ]
    return fields
