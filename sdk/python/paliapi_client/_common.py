"""Pieces both clients share: endpoints, headers, and the search input."""

from __future__ import annotations

from typing import Any

from .sources import Source, image_base64

PREFLIGHT = {"Apollo-Require-Preflight": "true"}
"""Multipart requests need a non-simple header so browsers cannot forge them (CSRF)."""

DEFAULT_TIMEOUT_S = 300.0
"""Long enough for `upload(..., wait=True)`, which returns only once the document is READY."""


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
