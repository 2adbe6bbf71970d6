"""`AsyncPaliAPI`: the asyncio client, with the same methods as `PaliAPI`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from functools import partial
from typing import Any, TypeVar, cast

import httpx

from ._async import AsyncGeneratedClient
from ._async.base_model import Upload
from ._async.document_status import DocumentStatus
from ._async.fragments import CollectionFields, DocumentFields
from ._async.input_types import CreateCollectionInput, SearchInput, UploadDocumentInput
from ._async.search import SearchSearchResults
from ._common import (
    DEFAULT_TIMEOUT_S,
    PREFLIGHT,
    auth_headers,
    graphql_endpoint,
    search_input,
    websocket_endpoint,
)
from .errors import NotFoundError, translate
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


class AsyncPaliAPI:
    """A PaliAPI server, used from asyncio.

    ```python
    async with AsyncPaliAPI("http://127.0.0.1:8000", token) as api:
        await api.upload("q3.pdf", collection="reports")
        results = await api.search("revenue by region", collection="reports")
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
        self._http = httpx.AsyncClient(headers=auth_headers(token), timeout=timeout)
        self.graphql = AsyncGeneratedClient(
            url=graphql_endpoint(url),
            http_client=self._http,  # type: ignore[arg-type]  # the generated Protocol is narrower than httpx's signature
            ws_url=websocket_endpoint(url),
            ws_connection_init_payload=auth_headers(token),
        )
        """The generated client: one typed method per operation in `sdk/operations`."""

    async def __aenter__(self) -> AsyncPaliAPI:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _call(self, operation: Callable[[], Awaitable[T]]) -> T:
        attempt = 1
        while True:
            try:
                return await operation()
            except Exception as exc:  # the generated client's and httpx's errors
                error = translate(exc)
                delay = self.retry.delay(attempt, error)
                if delay is None:
                    raise error from exc
                await asyncio.sleep(delay)
                attempt += 1

    async def create_collection(
        self, name: str, metadata: dict[str, Any] | None = None, *, model: str | None = None
    ) -> CollectionFields:
        """Create a collection; `CONFLICT` if you already have one by that name."""
        data = CreateCollectionInput(name=name, metadata=metadata, model=model)
        created = await self._call(lambda: self.graphql.create_collection(input=data))
        return created.create_collection

    async def collection(self, name: str) -> CollectionFields:
        """One of your collections by name; `NotFoundError` if there is none."""
        found = (await self._call(lambda: self.graphql.get_collection(name=name))).collection
        if found is None:
            raise NotFoundError(f"no collection named {name!r}")
        return found

    async def delete_collection(self, name: str) -> bool:
        """Delete a collection with its documents and pages."""
        deleted = await self._call(lambda: self.graphql.delete_collection(name=name))
        return deleted.delete_collection

    async def collections(
        self, *, filter: dict[str, Any] | None = None, page_size: int = 50
    ) -> AsyncIterator[CollectionFields]:
        """Every collection (matching `filter`), fetching `page_size` at a time."""
        after: str | None = None
        while True:
            result = await self._call(
                partial(self.graphql.list_collections, filter_=filter, first=page_size, after=after)
            )
            for edge in result.collections.edges:
                yield edge.node
            if not result.collections.page_info.has_next_page:
                return
            after = result.collections.page_info.end_cursor

    async def documents(
        self,
        collection: str | None = None,
        *,
        filter: dict[str, Any] | None = None,
        page_size: int = 50,
    ) -> AsyncIterator[DocumentFields]:
        """Every document (of one collection, matching `filter`), `page_size` at a time."""
        after: str | None = None
        while True:
            result = await self._call(
                partial(
                    self.graphql.list_documents,
                    collection_name=collection,
                    filter_=filter,
                    first=page_size,
                    after=after,
                )
            )
            for edge in result.documents.edges:
                yield edge.node
            if not result.documents.page_info.has_next_page:
                return
            after = result.documents.page_info.end_cursor

    async def document(self, collection: str, name: str) -> DocumentFields:
        """One document by collection and name; `NotFoundError` if there is none."""
        result = await self._call(
            lambda: self.graphql.get_document(collection_name=collection, name=name)
        )
        if result.document is None:
            raise NotFoundError(f"no document named {name!r} in {collection!r}")
        return result.document

    async def delete_document(self, collection: str, name: str) -> bool:
        """Delete a document and its pages."""
        result = await self._call(
            lambda: self.graphql.delete_document(collection_name=collection, name=name)
        )
        return result.delete_document

    async def upload(
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
            result = await self._call(lambda: self.graphql.upload_document(input=data))
            return result.upload_document
        filename, stream, content_type = open_source(source)
        with ProgressReader(stream, progress) as reader:
            file = Upload(filename=filename, content=reader, content_type=content_type)
            data = UploadDocumentInput.model_validate({**fields, "file": file})
            result = await self._call(
                lambda: self.graphql.upload_document(input=data, headers=PREFLIGHT)
            )
            return result.upload_document

    async def search(
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
        return (await self._call(lambda: self.graphql.search(input=data))).search.results

    async def watch(self, collection: str, name: str) -> AsyncIterator[DocumentFields]:
        """Status updates of one document (the `documentStatus` subscription).

        Ends once the document is READY or FAILED.
        """
        updates = cast(
            "AsyncGenerator[DocumentStatus, None]",
            self.graphql.document_status(collection_name=collection, name=name),
        )
        try:
            while True:
                try:
                    update = await anext(updates)
                except StopAsyncIteration:
                    return
                except Exception as exc:
                    raise translate(exc) from exc
                yield update.document_status
        finally:
            await updates.aclose()
