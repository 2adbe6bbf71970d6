"""The `Collection` type and its inputs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info

from app.db import models
from app.schema.pagination import to_connection
from app.schema.users import parse_ids, rows_to_nodes
from app.services import documents as document_service

if TYPE_CHECKING:
    from app.schema.documents import DocumentConnection


@strawberry.type(name="Collection")
class Collection(relay.Node):
    id: relay.NodeID[int]
    name: str
    metadata: JSON
    model: str = strawberry.field(description="The embedding model its pages use.")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, row: models.Collection) -> Self:
        return cls(
            id=row.id,  # type: ignore[arg-type]
            name=row.name,
            metadata=row.meta,  # type: ignore[arg-type]
            model=row.model,
            created_at=row.created_at,  # type: ignore[arg-type]
            updated_at=row.updated_at,  # type: ignore[arg-type]
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        rows = await info.context.loaders.collection.load_many(parse_ids(node_ids))
        return rows_to_nodes(cls, rows)

    @strawberry.field
    async def document_count(self, info: Info) -> int:
        count, _ = await info.context.loaders.collection_counts.load(self.id)
        return count  # type: ignore[no-any-return]

    @strawberry.field
    async def page_count(self, info: Info) -> int:
        _, pages = await info.context.loaders.collection_counts.load(self.id)
        return pages  # type: ignore[no-any-return]

    @strawberry.field
    async def documents(
        self,
        info: Info,
        filter: JSON | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Annotated[DocumentConnection, strawberry.lazy("app.schema.documents")]:
        from app.schema.documents import Document, DocumentConnection

        async with info.context.db.session() as session:
            page = await document_service.list_documents(
                session=session,
                owner=info.context.owner,
                collection_id=self.id,
                filter=filter,
                first=first,
                after=after,
            )
        return to_connection(DocumentConnection, page, Document.from_model)


@strawberry.type(name="CollectionConnection")
class CollectionConnection(relay.Connection[Collection]):
    total_count: int


@strawberry.input
class CreateCollectionInput:
    name: str
    metadata: JSON | None = None
    model: str | None = None


@strawberry.input
class UpdateCollectionInput:
    name: str
    new_name: str | None = None
    metadata: JSON | None = None
