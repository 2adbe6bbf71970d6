"""`PaliAPI`: the synchronous client."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Callable, Iterator
from functools import partial
from typing import Any, TypeVar, cast

import httpx

from ._async import AsyncGeneratedClient
from ._async.document_status import DocumentStatus
from ._async.fragments import DocumentFields as StatusUpdate
from ._common import (
    DEFAULT_TIMEOUT_S,
    PREFLIGHT,
    auth_headers,
    graphql_endpoint,
    search_input,
    websocket_endpoint,
)
from ._sync import GeneratedClient
from ._sync.base_model import Upload
from ._sync.fragments import CollectionFields, DocumentFields
from ._sync.input_types import CreateCollectionInput, SearchInput, UploadDocumentInput
from ._sync.search import SearchSearchResults
from .errors import NotFoundError, PaliAPIError, translate
from .retry import RetryPolicy
from .sources import (
    ProgressCallback,
    ProgressReader,
    Source,
    default_name,
    is_url,
    open_source,
)

T = TypeVar("T")


class PaliAPI:
    """A PaliAPI server, used synchronously.

    ```python
    api = PaliAPI("http://127.0.0.1:8000", token)
    api.create_collection("reports")
    api.upload("q3.pdf", collection="reports")
    for result in api.search("revenue by region", collection="reports"):
        print(result.score, result.document.name, result.page.number)
    ```
    """

    def __init__(
        self,
        url: str,
        token: str,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.url = url
        self.retry = retry or RetryPolicy()
        self._token = token
        self._http = httpx.Client(headers=auth_headers(token), timeout=timeout)
        self.graphql = GeneratedClient(url=graphql_endpoint(url), http_client=self._http)  # type: ignore[arg-type]  # the generated Protocol is narrower than httpx's signature
        """The generated client: one typed method per operation in `sdk/operations`."""

    def __enter__(self) -> PaliAPI:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _call(self, operation: Callable[[], T]) -> T:
        attempt = 1
        while True:
            try:
                return operation()
            except Exception as exc:  # the generated client's and httpx's errors
                error = translate(exc)
                delay = self.retry.delay(attempt, error)
                if delay is None:
                    raise error from exc
                time.sleep(delay)
                attempt += 1

    def create_collection(
        self, name: str, metadata: dict[str, Any] | None = None, *, model: str | None = None
    ) -> CollectionFields:
        """Create a collection; `CONFLICT` if you already have one by that name."""
        data = CreateCollectionInput(name=name, metadata=metadata, model=model)
        return self._call(lambda: self.graphql.create_collection(input=data)).create_collection

    def collection(self, name: str) -> CollectionFields:
        """One of your collections by name; `NotFoundError` if there is none."""
        found = self._call(lambda: self.graphql.get_collection(name=name)).collection
        if found is None:
            raise NotFoundError(f"no collection named {name!r}")
        return found

    def delete_collection(self, name: str) -> bool:
        """Delete a collection with its documents and pages."""
        return self._call(lambda: self.graphql.delete_collection(name=name)).delete_collection

    def collections(
        self, *, filter: dict[str, Any] | None = None, page_size: int = 50
    ) -> Iterator[CollectionFields]:
        """Every collection (matching `filter`), fetching `page_size` at a time."""
        after: str | None = None
        while True:
            page = self._call(
                partial(self.graphql.list_collections, filter_=filter, first=page_size, after=after)
            ).collections
            for edge in page.edges:
                yield edge.node
            if not page.page_info.has_next_page:
                return
            after = page.page_info.end_cursor

    def documents(
        self,
        collection: str | None = None,
        *,
        filter: dict[str, Any] | None = None,
        page_size: int = 50,
    ) -> Iterator[DocumentFields]:
        """Every document (of one collection, matching `filter`), `page_size` at a time."""
        after: str | None = None
        while True:
            page = self._call(
                partial(
                    self.graphql.list_documents,
                    collection_name=collection,
                    filter_=filter,
                    first=page_size,
                    after=after,
                )
            ).documents
            for edge in page.edges:
                yield edge.node
            if not page.page_info.has_next_page:
                return
            after = page.page_info.end_cursor

    def document(self, collection: str, name: str) -> DocumentFields:
        """One document by collection and name; `NotFoundError` if there is none."""
        found = self._call(
            lambda: self.graphql.get_document(collection_name=collection, name=name)
        ).document
        if found is None:
            raise NotFoundError(f"no document named {name!r} in {collection!r}")
        return found

    def delete_document(self, collection: str, name: str) -> bool:
        """Delete a document and its pages."""
        return self._call(
            lambda: self.graphql.delete_document(collection_name=collection, name=name)
        ).delete_document

    def upload(
        self,
        source: Source,
        *,
        collection: str,
        name: str | None = None,
        metadata: dict[str, Any] | None = None,
        wait: bool = True,
        overwrite: bool = False,
        progress: ProgressCallback | None = None,
    ) -> DocumentFields:
        """Upload a PDF or image from a path, bytes or an http(s) URL (the server fetches it).

        Files go as a GraphQL multipart request; `progress(sent, total)` is called as the
        body is sent. With `wait=True` this returns once the document is READY or FAILED.
        """
        fields: dict[str, Any] = {
            "collectionName": collection,
            "name": name or default_name(source),
            "metadata": metadata,
            "wait": wait,
            "overwrite": overwrite,
        }
        if is_url(source):
            data = UploadDocumentInput.model_validate({**fields, "url": source})
            return self._call(lambda: self.graphql.upload_document(input=data)).upload_document
        filename, stream, content_type = open_source(source)
        with ProgressReader(stream, progress) as reader:
            file = Upload(filename=filename, content=reader, content_type=content_type)
            data = UploadDocumentInput.model_validate({**fields, "file": file})
            return self._call(
                lambda: self.graphql.upload_document(input=data, headers=PREFLIGHT)
            ).upload_document

    def search(
        self,
        query: str | None = None,
        *,
        image: Source | None = None,
        collection: str | None = None,
        top_k: int = 3,
        mode: str = "VISUAL",
        collection_filter: dict[str, Any] | None = None,
        document_filter: dict[str, Any] | None = None,
        exact: bool = False,
    ) -> list[SearchSearchResults]:
        """The `top_k` best pages for a text query or an image (a path or bytes), best first."""
        data = SearchInput.model_validate(
            search_input(
                query,
                image=image,
                collection=collection,
                top_k=top_k,
                mode=mode,
                collection_filter=collection_filter,
                document_filter=document_filter,
                exact=exact,
            )
        )
        return self._call(lambda: self.graphql.search(input=data)).search.results

    def watch(self, collection: str, name: str) -> Iterator[StatusUpdate]:
        """Status updates of one document (over the `documentStatus` subscription).

        Ends once the document is READY or FAILED.
        """
        client = AsyncGeneratedClient(
            ws_url=websocket_endpoint(self.url),
            ws_connection_init_payload=auth_headers(self._token),
        )
        updates = cast(
            "AsyncGenerator[DocumentStatus, None]",
            client.document_status(collection_name=collection, name=name),
        )
        loop = asyncio.new_event_loop()
        try:
            while True:
                try:
                    yield loop.run_until_complete(anext(updates)).document_status
                except StopAsyncIteration:
                    return
                except PaliAPIError:
                    raise
                except Exception as exc:
                    raise translate(exc) from exc
        finally:
            loop.run_until_complete(updates.aclose())
            loop.close()
