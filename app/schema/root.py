"""The schema: root types, each field with its permission, plus limits and error handling."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from functools import partial

import strawberry
from strawberry import relay
from strawberry.permission import BasePermission

from app.resolvers import collections, documents, search, users
from app.schema.collections import Collection, CollectionConnection
from app.schema.documents import Document, DocumentConnection
from app.schema.errors import AliasLimit, DepthLimit, ErrorCodes, Schema, TokenLimit
from app.schema.operation_metrics import OperationMetrics
from app.schema.permissions import IsAuthenticated
from app.schema.search import SearchResponse
from app.schema.users import User
from app.settings import settings

AUTH: list[type[BasePermission]] = [IsAuthenticated]


@strawberry.type
class Query:
    me: User = strawberry.field(resolver=users.me, permission_classes=AUTH)
    node: relay.Node | None = relay.node(permission_classes=AUTH)
    collection: Collection | None = strawberry.field(
        resolver=collections.collection, permission_classes=AUTH
    )
    collections: CollectionConnection = strawberry.field(
        resolver=collections.collections, permission_classes=AUTH
    )
    document: Document | None = strawberry.field(
        resolver=documents.document, permission_classes=AUTH
    )
    documents: DocumentConnection = strawberry.field(
        resolver=documents.documents, permission_classes=AUTH
    )
    search: SearchResponse = strawberry.field(resolver=search.search, permission_classes=AUTH)


@strawberry.type
class Mutation:
    create_collection: Collection = strawberry.mutation(
        resolver=collections.create_collection, permission_classes=AUTH
    )
    update_collection: Collection = strawberry.mutation(
        resolver=collections.update_collection, permission_classes=AUTH
    )
    delete_collection: bool = strawberry.mutation(
        resolver=collections.delete_collection, permission_classes=AUTH
    )
    update_document: Document = strawberry.mutation(
        resolver=documents.update_document, permission_classes=AUTH
    )
    delete_document: bool = strawberry.mutation(
        resolver=documents.delete_document, permission_classes=AUTH
    )
    upload_document: Document = strawberry.mutation(
        resolver=documents.upload_document, permission_classes=AUTH
    )
    retry_document: Document = strawberry.mutation(
        resolver=documents.retry_document, permission_classes=AUTH
    )


@strawberry.type
class Subscription:
    document_status: AsyncGenerator[Document, None] = strawberry.subscription(
        resolver=documents.document_status, permission_classes=AUTH
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
        ErrorCodes,
    ],
)
