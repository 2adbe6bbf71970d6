"""The schema: root types, each field with its permission, plus limits and error handling."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from functools import partial

import strawberry
from strawberry import relay
from strawberry.extensions import ValidationCache
from strawberry.permission import BasePermission

from app.resolvers import collections, documents, embeddings, search, users, webhooks
from app.schema.collections import Collection, CollectionConnection
from app.schema.descriptions import (
    AFTER,
    COLLECTION_NAME,
    DOCUMENT_NAME,
    FILTER,
    FIRST,
    describe_arguments,
)
from app.schema.documents import Document, DocumentConnection
from app.schema.embeddings import MultiVector
from app.schema.errors import (
    AliasLimit,
    DepthLimit,
    ErrorCodes,
    ParsedDocuments,
    Schema,
    TokenLimit,
)
from app.schema.operation_metrics import OperationMetrics
from app.schema.permissions import IsAuthenticated
from app.schema.search import SearchResponse
from app.schema.users import User
from app.schema.webhooks import Webhook, WebhookConnection
from app.settings import settings

AUTH: list[type[BasePermission]] = [IsAuthenticated]


@strawberry.type(
    description=(
        "Reads. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and "
        "sees only that user's objects."
    )
)
class Query:
    me: User = strawberry.field(
        resolver=users.me,
        permission_classes=AUTH,
        description="The user whose token authenticated this request.",
    )
    node: relay.Node | None = relay.node(
        permission_classes=AUTH,
        description=(
            "Any of your objects by its global `id`; null when there is none (or it is another "
            "user's). A malformed id is BAD_USER_INPUT."
        ),
    )
    collection: Collection | None = describe_arguments(
        strawberry.field(
            resolver=collections.collection,
            permission_classes=AUTH,
            description="One of your collections by name; null when you have none by that name.",
        ),
        name="The collection's name.",
    )
    collections: CollectionConnection = describe_arguments(
        strawberry.field(
            resolver=collections.collections,
            permission_classes=AUTH,
            description="Your collections, oldest first.",
        ),
        filter=f"On collections' metadata. {FILTER}",
        first=FIRST,
        after=AFTER,
    )
    document: Document | None = describe_arguments(
        strawberry.field(
            resolver=documents.document,
            permission_classes=AUTH,
            description=(
                "One of your documents by collection and name; null when there is none (a "
                "missing collection too)."
            ),
        ),
        collection_name=COLLECTION_NAME,
        name=DOCUMENT_NAME,
    )
    documents: DocumentConnection = describe_arguments(
        strawberry.field(
            resolver=documents.documents,
            permission_classes=AUTH,
            description="Your documents, oldest first: in one collection, or in all of them.",
        ),
        collection_name=(
            "Only this collection's documents (NOT_FOUND if you have none by that name); "
            "omitted: every collection's."
        ),
        filter=f"On documents' metadata. {FILTER}",
        first=FIRST,
        after=AFTER,
    )
    search: SearchResponse = describe_arguments(
        strawberry.field(
            resolver=search.search,
            permission_classes=AUTH,
            description=(
                "The pages that best match a text or image query, in your READY documents. "
                "Rate-limited per user (RATE_LIMITED, with `retryAfter` in seconds); "
                "EMBEDDINGS_UNAVAILABLE when the model cannot embed the query."
            ),
        ),
        input="What to search for, where, and how.",
    )
    embed: list[MultiVector] = describe_arguments(
        strawberry.field(
            resolver=embeddings.embed,
            permission_classes=AUTH,
            description=(
                "The model's multi-vectors for text queries or images, one per item in order: "
                "for your own vector store. Each item takes one token of the search rate limit "
                "(RATE_LIMITED, with `retryAfter`); EMBEDDINGS_UNAVAILABLE when the model "
                "cannot embed."
            ),
        ),
        input="The queries or the images to embed.",
    )
    webhooks: WebhookConnection = describe_arguments(
        strawberry.field(
            resolver=webhooks.webhooks,
            permission_classes=AUTH,
            description="Your webhook endpoints, oldest first.",
        ),
        first=FIRST,
        after=AFTER,
    )


@strawberry.type(
    description=(
        "Writes. Every field needs `Authorization: Bearer <token>` (else UNAUTHENTICATED) and "
        "acts only on that user's objects (another user's is NOT_FOUND)."
    )
)
class Mutation:
    create_collection: Collection = describe_arguments(
        strawberry.mutation(
            resolver=collections.create_collection,
            permission_classes=AUTH,
            description="Create a collection.",
        ),
        input="The new collection.",
    )
    update_collection: Collection = describe_arguments(
        strawberry.mutation(
            resolver=collections.update_collection,
            permission_classes=AUTH,
            description="Rename a collection and/or replace its metadata; NOT_FOUND if missing.",
        ),
        input="Which collection, and what to change.",
    )
    delete_collection: bool = describe_arguments(
        strawberry.mutation(
            resolver=collections.delete_collection,
            permission_classes=AUTH,
            description=(
                "Delete a collection with its documents, pages and embeddings; true once done, "
                "NOT_FOUND if missing."
            ),
        ),
        name="The collection's name.",
    )
    update_document: Document = describe_arguments(
        strawberry.mutation(
            resolver=documents.update_document,
            permission_classes=AUTH,
            description=(
                "Rename a document, replace its metadata and/or move it to another collection; "
                "NOT_FOUND if missing."
            ),
        ),
        input="Which document, and what to change.",
    )
    delete_document: bool = describe_arguments(
        strawberry.mutation(
            resolver=documents.delete_document,
            permission_classes=AUTH,
            description=(
                "Delete a document with its pages and embeddings; true once done, NOT_FOUND if "
                "missing."
            ),
        ),
        collection_name=COLLECTION_NAME,
        name=DOCUMENT_NAME,
    )
    upload_document: Document = describe_arguments(
        strawberry.mutation(
            resolver=documents.upload_document,
            permission_classes=AUTH,
            description=(
                "Upload a document: it is checked, stored as PENDING and queued for ingestion "
                "(follow it with `documentStatus`, or set `wait`). Rate-limited per user "
                "(RATE_LIMITED, with `retryAfter` in seconds)."
            ),
        ),
        input="The file, where it goes, and how.",
    )
    retry_document: Document = describe_arguments(
        strawberry.mutation(
            resolver=documents.retry_document,
            permission_classes=AUTH,
            description=(
                "Queue a FAILED (or stuck) document again, as PENDING with progress 0; a READY "
                "one is returned unchanged."
            ),
        ),
        collection_name=COLLECTION_NAME,
        name=DOCUMENT_NAME,
    )
    create_webhook: Webhook = describe_arguments(
        strawberry.mutation(
            resolver=webhooks.create_webhook,
            permission_classes=AUTH,
            description=(
                "Register an endpoint for events; the answer's `secret` is the only time the "
                "signing secret is shown. A URL that is not http(s) or leads to a non-public "
                "address, or an unknown event, is BAD_USER_INPUT."
            ),
        ),
        input="The endpoint, its events and optionally its secret.",
    )
    delete_webhook: bool = describe_arguments(
        strawberry.mutation(
            resolver=webhooks.delete_webhook,
            permission_classes=AUTH,
            description=(
                "Delete an endpoint and its delivery log; deliveries still queued are dropped. "
                "True once done, NOT_FOUND if missing."
            ),
        ),
        id="The webhook's `id`.",
    )
    test_webhook: bool = describe_arguments(
        strawberry.mutation(
            resolver=webhooks.send_test_event,
            permission_classes=AUTH,
            description=(
                "Queue a `webhook.test` event to this endpoint (whatever events it receives); "
                "follow it in `deliveries`. True once queued, NOT_FOUND if missing."
            ),
        ),
        id="The webhook's `id`.",
    )


@strawberry.type(
    description=(
        "Live updates, over a websocket on `/graphql` (graphql-transport-ws). Send the token in "
        '`connection_init`: `{"Authorization": "Bearer <token>"}`.'
    )
)
class Subscription:
    document_status: AsyncGenerator[Document, None] = describe_arguments(
        strawberry.subscription(
            resolver=documents.document_status,
            permission_classes=AUTH,
            description=(
                "A document now, then again whenever its status, progress, error or page count "
                "changes; it ends once READY or FAILED. NOT_FOUND if missing."
            ),
        ),
        collection_name=COLLECTION_NAME,
        name=DOCUMENT_NAME,
    )


schema = Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    extensions=[
        OperationMetrics,  # first: outermost, it sees the errors with their codes
        partial(DepthLimit, max_depth=settings.max_query_depth),
        partial(AliasLimit, max_alias_count=settings.max_query_aliases),
        partial(TokenLimit, max_token_count=settings.max_query_tokens),
        # Clients send the same few documents over and over: parse and validate each once.
        ParsedDocuments,
        partial(ValidationCache, maxsize=256),
        ErrorCodes,
    ],
)
