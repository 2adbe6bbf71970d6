"""The eval's view of a PaliAPI server: its public GraphQL API over HTTP, nothing else.

Plain httpx rather than the SDK: the SDK is a separate distribution, and it retries
`EMBEDDINGS_UNAVAILABLE` and connection errors, which an eval must not do (a search that
failed is a failed eval, not one to retry until it passes). The one thing waited out is
`RATE_LIMITED`, a refusal before any work, after its `retryAfter`; the waits are counted.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import httpx

from app.evals.errors import EvalError

# Uploads use `wait: true`, which the server holds up to PALIAPI_WAIT_TIMEOUT_S (600 s).
TIMEOUT = httpx.Timeout(30.0, read=660.0)
PAGE_SIZE = 100  # documents per listing request (PALIAPI_MAX_PAGE_SIZE's default)

_DOCUMENT_FIELDS = "name status pageCount error metadata"
_COLLECTION = "query($n: String!) { collection(name: $n) { name model documentCount pageCount } }"
_CREATE = """mutation($in: CreateCollectionInput!) {
  createCollection(input: $in) { name model } }"""
_DELETE = "mutation($n: String!) { deleteCollection(name: $n) }"
_UPLOAD = f"""mutation($in: UploadDocumentInput!) {{
  uploadDocument(input: $in) {{ {_DOCUMENT_FIELDS} }} }}"""
_DOCUMENTS = f"""query($c: String!, $first: Int!, $after: String) {{
  documents(collectionName: $c, first: $first, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }}
    edges {{ node {{ {_DOCUMENT_FIELDS} }} }} }} }}"""
_PAGE_TEXTS = """query($c: String!, $first: Int!, $after: String) {
  documents(collectionName: $c, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { name pages(first: 1) { edges { node { text } } } } } } }"""
_SEARCH = """query($in: SearchInput!) { search(input: $in) {
  tookMs results { score document { name metadata } } } }"""


class ServiceError(EvalError):
    """The server answered with a GraphQL error (or not at all)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class SearchAnswer:
    hits: list[tuple[str, float]]  # (corpus-id, score), as the server ranked them
    took_ms: float  # the server's search time, query embedding excluded
    wall_ms: float  # the whole request, as the client saw it


class ServiceClient:
    """One user's GraphQL session with a PaliAPI server."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url.rstrip("/")
        self.rate_limited_waits = 0
        self._http = httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ServiceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _post(self, **request: Any) -> dict[str, Any]:
        while True:
            try:
                response = self._http.post("/graphql", **request)
                body: dict[str, Any] = response.json()
            except (httpx.HTTPError, ValueError) as exc:
                raise ServiceError("CONNECTION_ERROR", f"{self.url}/graphql: {exc}") from exc
            errors = body.get("errors") or []
            if not errors:
                data: dict[str, Any] = body["data"]
                return data
            extensions = errors[0].get("extensions") or {}
            code = str(extensions.get("code", "ERROR"))
            if code == "RATE_LIMITED" and isinstance(extensions.get("retryAfter"), int | float):
                self.rate_limited_waits += 1
                time.sleep(float(extensions["retryAfter"]))
                continue
            raise ServiceError(code, str(errors[0].get("message", "")))

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        return self._post(json={"query": query, "variables": variables or {}})

    def health(self) -> dict[str, Any]:
        """What `/healthz` says (model, version), or an `error` entry when it cannot be read."""
        try:
            found: dict[str, Any] = self._http.get("/healthz").json()
        except (httpx.HTTPError, ValueError) as exc:
            return {"error": str(exc)}
        return found

    def me(self) -> str:
        return str(self.graphql("{ me { name } }")["me"]["name"])

    def create_collection(self, name: str, metadata: dict[str, Any]) -> str:
        """Create a collection; its model's name."""
        created = self.graphql(_CREATE, {"in": {"name": name, "metadata": metadata}})
        return str(created["createCollection"]["model"])

    def collection(self, name: str) -> dict[str, Any] | None:
        found: dict[str, Any] | None = self.graphql(_COLLECTION, {"n": name})["collection"]
        return found

    def delete_collection(self, name: str) -> None:
        self.graphql(_DELETE, {"n": name})

    def upload(
        self,
        *,
        collection: str,
        name: str,
        filename: str,
        data: bytes,
        metadata: dict[str, Any],
        wait: bool,
    ) -> dict[str, Any]:
        """A file upload as the GraphQL multipart request spec has it; the document."""
        variables = {
            "in": {
                "collectionName": collection,
                "name": name,
                "metadata": metadata,
                "file": None,
                "wait": wait,
            }
        }
        answer = self._post(
            headers={"Apollo-Require-Preflight": "true"},
            data={
                "operations": json.dumps({"query": _UPLOAD, "variables": variables}),
                "map": json.dumps({"0": ["variables.in.file"]}),
            },
            files={"0": (filename, data, "application/octet-stream")},
        )
        document: dict[str, Any] = answer["uploadDocument"]
        return document

    def documents(self, collection: str) -> list[dict[str, Any]]:
        """Every document of a collection (name, status, pageCount, error, metadata)."""
        return [edge["node"] for edge in self._pages(_DOCUMENTS, collection)]

    def first_page_texts(self, collection: str) -> dict[str, str | None]:
        """Document name -> the text the service extracted from its first page."""
        texts: dict[str, str | None] = {}
        for edge in self._pages(_PAGE_TEXTS, collection):
            pages = edge["node"]["pages"]["edges"]
            texts[edge["node"]["name"]] = pages[0]["node"]["text"] if pages else None
        return texts

    def _pages(self, query: str, collection: str) -> list[dict[str, Any]]:
        edges: list[dict[str, Any]] = []
        after: str | None = None
        while True:
            found = self.graphql(query, {"c": collection, "first": PAGE_SIZE, "after": after})
            edges.extend(found["documents"]["edges"])
            info = found["documents"]["pageInfo"]
            if not info["hasNextPage"]:
                return edges
            after = info["endCursor"]

    def search(
        self, query: str, *, collection: str, mode: str, exact: bool, top_k: int
    ) -> SearchAnswer:
        """One search; hits carry the corpus-id each page's document was uploaded with."""
        search_input = {
            "query": query,
            "collectionName": collection,
            "mode": mode,
            "exact": exact,
            "topK": top_k,
        }
        started = time.perf_counter()
        found = self.graphql(_SEARCH, {"in": search_input})["search"]
        wall_ms = (time.perf_counter() - started) * 1000
        hits = [
            (str(result["document"]["metadata"].get("corpus-id")), float(result["score"]))
            for result in found["results"]
        ]
        return SearchAnswer(hits, float(found["tookMs"]), wall_ms)
