"""`PaliAPI`: the synchronous client."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Callable, Iterator, Sequence
from functools import partial
from typing import Any, TypeVar, cast

import httpx

from ._async.document_status import DocumentStatus
from ._async.fragments import DocumentFields as StatusUpdate
from ._common import (
    DEFAULT_TIMEOUT_S,
    DEFAULT_WAIT_TIMEOUT_S,
    PREFLIGHT,
    TERMINAL_STATUSES,
    auth_headers,
    embed_input,
    graphql_endpoint,
    poll_delays,
    read_images,
    search_input,
    upload_check,
    websocket_endpoint,
)
from ._subscriptions import SubscriptionClient
from ._sync import GeneratedClient
from ._sync.base_model import Upload
from ._sync.create_webhook import CreateWebhookCreateWebhook
from ._sync.embed import Embed, EmbedEmbed
from ._sync.fragments import CollectionFields, DocumentFields, WebhookDeliveryFields
from ._sync.input_types import (
    CreateCollectionInput,
    CreateWebhookInput,
    EmbedInput,
    SearchInput,
    UploadDocumentInput,
)
from ._sync.list_webhooks import ListWebhooksWebhooksEdgesNode
from ._sync.search import SearchSearchResults
from ._sync.webhook_deliveries import WebhookDeliveriesNodeWebhook
from .errors import NotFoundError, PaliAPIConnectionError, PaliAPIError, translate
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

    def _call(self, operation: Callable[[], T], *, check: str | None = None) -> T:
        """Run `operation`, retrying per `self.retry`; raise a `PaliAPIError`.

        `check` marks a mutation and says how to find out whether it happened: a mutation is
        not retried after a connection error once its request was sent, and the error says
        so (see `RetryPolicy`).
        """
        attempt = 1
        while True:
            try:
                return operation()
            except Exception as exc:  # the generated client's and httpx's errors
                error = translate(exc)
                delay = self.retry.delay(attempt, error, mutation=check is not None)
                if delay is None:
                    if check and isinstance(error, PaliAPIConnectionError) and error.request_sent:
                        error = error.unconfirmed(check)
                    raise error from exc
                time.sleep(delay)
                attempt += 1

    def create_collection(
        self, name: str, metadata: dict[str, Any] | None = None, *, model: str | None = None
    ) -> CollectionFields:
        """Create a collection; `CONFLICT` if you already have one by that name."""
        data = CreateCollectionInput(name=name, metadata=metadata, model=model)
        return self._call(
            lambda: self.graphql.create_collection(input=data),
            check=f"check with collection({name!r}) before creating it again",
        ).create_collection

    def collection(self, name: str) -> CollectionFields:
        """One of your collections by name; `NotFoundError` if there is none."""
        found = self._call(lambda: self.graphql.get_collection(name=name)).collection
        if found is None:
            raise NotFoundError(f"no collection named {name!r}")
        return found

    def delete_collection(self, name: str) -> bool:
        """Delete a collection with its documents and pages."""
        return self._call(
            lambda: self.graphql.delete_collection(name=name),
            check=f"collection({name!r}) raises NotFoundError once it is deleted",
        ).delete_collection

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
            lambda: self.graphql.delete_document(collection_name=collection, name=name),
            check=f"document({collection!r}, {name!r}) raises NotFoundError once it is deleted",
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
        wait_timeout: float = DEFAULT_WAIT_TIMEOUT_S,
    ) -> DocumentFields:
        """Upload a PDF or image from a path, bytes or an http(s) URL (the server fetches it).

        Files go as a GraphQL multipart request; `progress(sent, total)` is called as the
        body is sent. The upload request returns once the document is stored and queued
        (PENDING). With `wait=True` this then polls the document until it is READY or FAILED,
        or `wait_timeout` seconds have passed (then it returns the document as it is), so
        ingestion may take longer than the client's `timeout`.

        An upload is never sent twice: if the connection fails after the request was sent,
        or no answer comes within `timeout`, this raises `PaliAPIConnectionError` (or its
        subclass `PaliAPITimeoutError`) saying the document may have been stored, which
        `document(collection, name)` tells. Only a request that never reached the server
        (connection refused, DNS failure, connect timeout) is retried, as `RATE_LIMITED` and
        `EMBEDDINGS_UNAVAILABLE` refusals are.
        """
        document_name = name or default_name(source)
        check = upload_check(collection, document_name)
        fields: dict[str, Any] = {
            "collectionName": collection,
            "name": document_name,
            "metadata": metadata,
            "wait": False,
            "overwrite": overwrite,
        }
        if is_url(source):
            data = UploadDocumentInput.model_validate({**fields, "url": source})
            document = self._call(
                lambda: self.graphql.upload_document(input=data), check=check
            ).upload_document
        else:
            filename, stream, content_type = open_source(source)
            with ProgressReader(stream, progress) as reader:
                file = Upload(filename=filename, content=reader, content_type=content_type)
                data = UploadDocumentInput.model_validate({**fields, "file": file})
                document = self._call(
                    lambda: self.graphql.upload_document(input=data, headers=PREFLIGHT),
                    check=check,
                ).upload_document
        return self._wait_until_done(collection, document, wait_timeout) if wait else document

    def _wait_until_done(
        self, collection: str, document: DocumentFields, wait_timeout: float
    ) -> DocumentFields:
        """The document once it is READY or FAILED, or as it is after `wait_timeout` seconds.

        Short `document()` queries rather than one long request: no proxy or client timeout
        cuts them, and a query is safe to retry.
        """
        for pause in poll_delays(wait_timeout):
            if document.status.value in TERMINAL_STATUSES:
                break
            time.sleep(pause)
            document = self.document(collection, document.name)
        return document

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

    def embed(
        self, queries: Sequence[str] | None = None, *, images: Sequence[Source] | None = None
    ) -> list[EmbedEmbed]:
        """The model's multi-vectors for text queries or images (paths or bytes), in order.

        They are the vectors `search` scores with, for your own vector store:
        `paliapi_client.to_numpy(v)` makes one a (tokens, dim) float16 array. Give exactly
        one of `queries` or `images`, at most 16 items by default (the server's
        `PALIAPI_EMBED_MAX_BATCH`); each item takes one token of the search rate limit.
        """

        read = read_images(images)

        def request() -> Embed:
            data = EmbedInput.model_validate(embed_input(queries, read, Upload))
            return self.graphql.embed(input=data, headers=PREFLIGHT)

        return self._call(request).embed

    def create_webhook(
        self, url: str, events: Sequence[str], *, secret: str | None = None
    ) -> CreateWebhookCreateWebhook:
        """Register an endpoint that gets a signed POST per event (`document.ready`, ...).

        The answer's `secret` (yours, or a generated `whsec_...`) is the only time the signing
        secret is shown: keep it to verify deliveries with. A URL that is not http(s) or leads
        to a non-public address, or an unknown event, raises `BadUserInputError`.
        """
        data = CreateWebhookInput(url=url, events=list(events), secret=secret)
        return self._call(
            lambda: self.graphql.create_webhook(input=data),
            check="check with webhooks() before creating it again",
        ).create_webhook

    def webhooks(self, *, page_size: int = 50) -> Iterator[ListWebhooksWebhooksEdgesNode]:
        """Every webhook endpoint, oldest first, `page_size` at a time (`secret` is None)."""
        after: str | None = None
        while True:
            page = self._call(
                partial(self.graphql.list_webhooks, first=page_size, after=after)
            ).webhooks
            for edge in page.edges:
                yield edge.node
            if not page.page_info.has_next_page:
                return
            after = page.page_info.end_cursor

    def delete_webhook(self, id: str) -> bool:
        """Delete an endpoint and its delivery log; deliveries still queued are dropped."""
        return self._call(
            lambda: self.graphql.delete_webhook(id=id),
            check=f"webhook_deliveries({id!r}) raises NotFoundError once it is deleted",
        ).delete_webhook

    def test_webhook(self, id: str) -> bool:
        """Queue a `webhook.test` event to one endpoint; follow it in `webhook_deliveries`."""
        return self._call(
            lambda: self.graphql.test_webhook(id=id),
            check=f"webhook_deliveries({id!r}) lists the webhook.test event if it was queued",
        ).test_webhook

    def webhook_deliveries(
        self, id: str, *, page_size: int = 50
    ) -> Iterator[WebhookDeliveryFields]:
        """One endpoint's delivery log, oldest first, `page_size` at a time.

        Each delivery is one event with its attempts: `status` (PENDING, SUCCEEDED or FAILED),
        `attempts`, `last_error`, `last_status_code`. `NotFoundError` if there is no such
        webhook (or it is another user's).
        """
        after: str | None = None
        while True:
            node = self._call(
                partial(self.graphql.webhook_deliveries, id=id, first=page_size, after=after)
            ).node
            if not isinstance(node, WebhookDeliveriesNodeWebhook):
                raise NotFoundError(f"no webhook with id {id!r}")
            for edge in node.deliveries.edges:
                yield edge.node
            if not node.deliveries.page_info.has_next_page:
                return
            after = node.deliveries.page_info.end_cursor

    def watch(self, collection: str, name: str) -> Iterator[StatusUpdate]:
        """Status updates of one document (over the `documentStatus` subscription).

        Ends once the document is READY or FAILED. A missing document (or another user's)
        raises `NotFoundError`, and any error the server ends the subscription with raises
        the exception for its code, as other calls do.
        """
        client = SubscriptionClient(
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
