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
from app.schema.descriptions import AFTER, FILTER, FIRST, METADATA, TOTAL_COUNT
from app.schema.pagination import to_connection
from app.schema.users import parse_ids, rows_to_nodes
from app.services import documents as document_service

if TYPE_CHECKING:
    from app.schema.documents import DocumentConnection


@strawberry.type(
    name="Collection",
    description=(
        "A named set of your documents, all embedded with one model; searches run over collections."
    ),
)
class Collection(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(
        description="Its name, unique among your collections (1 to 200 characters)."
    )
    metadata: JSON = strawberry.field(description=METADATA)
    model: str = strawberry.field(
        description=(
            "The embedding model its pages use, fixed at creation (the server's "
            "EMBEDDINGS_MODEL). A server with another model skips it in searches, and a search "
            "naming it is a CONFLICT."
        )
    )
    pool_factor: int = strawberry.field(
        description=(
            "Hierarchical token pooling of its pages, fixed at creation: each page keeps about "
            "1/poolFactor of its vectors (1 = no pooling). Less storage and a cheaper rerank, "
            "for a small loss of recall; pooled pages have no similarity map."
        )
    )
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When its name or metadata last changed.")

    @classmethod
    def from_model(cls, row: models.Collection) -> Self:
        return cls(
            id=row.id,  # type: ignore[arg-type]
            name=row.name,
            metadata=row.meta,  # type: ignore[arg-type]
            model=row.model,
            pool_factor=row.pool_factor,
            created_at=row.created_at,  # type: ignore[arg-type]
            updated_at=row.updated_at,  # type: ignore[arg-type]
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        rows = await info.context.loaders.collection.load_many(parse_ids(node_ids))
        return rows_to_nodes(cls, rows)

    @strawberry.field(description="How many documents it holds, whatever their status.")  # type: ignore[untyped-decorator]
    async def document_count(self, info: Info) -> int:
        count, _ = await info.context.loaders.collection_counts.load(self.id)
        return count  # type: ignore[no-any-return]

    @strawberry.field(description="How many pages its documents have in all.")  # type: ignore[untyped-decorator]
    async def page_count(self, info: Info) -> int:
        _, pages = await info.context.loaders.collection_counts.load(self.id)
        return pages  # type: ignore[no-any-return]

    @strawberry.field(description="Its documents, oldest first.")  # type: ignore[untyped-decorator]
    async def documents(
        self,
        info: Info,
        filter: Annotated[
            JSON | None, strawberry.argument(description=f"On documents' metadata. {FILTER}")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
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


@strawberry.type(
    name="CollectionConnection", description="A slice of your collections (a Relay connection)."
)
class CollectionConnection(relay.Connection[Collection]):
    total_count: int = strawberry.field(description=TOTAL_COUNT)


@strawberry.input(description="A new collection. A name you already use is a CONFLICT.")
class CreateCollectionInput:
    name: str = strawberry.field(
        description=(
            "Its name: 1 to 200 characters, no leading or trailing spaces, no control "
            "characters (else BAD_USER_INPUT)."
        )
    )
    metadata: JSON | None = strawberry.field(
        default=None, description=f"{METADATA} Default `{{}}`."
    )
    model: str | None = strawberry.field(
        default=None,
        description=(
            "The embedding model; omit it for the server's own. Any other is BAD_USER_INPUT "
            "(a server embeds with one model)."
        ),
    )
    pool_factor: int | None = strawberry.field(
        default=None,
        description=(
            "Pool each page's vectors by this factor (hierarchical clustering of its tokens, "
            "as colpali-engine's token pooling): 1 to 16, default 1 (none); 3 stores about a "
            "third. Fixed for the collection's life."
        ),
    )


@strawberry.input(description="Changes to a collection; omitted fields stay as they are.")
class UpdateCollectionInput:
    name: str = strawberry.field(description="The collection to change, by its current name.")
    new_name: str | None = strawberry.field(
        default=None,
        description="Rename it (same rules as at creation); a name in use is a CONFLICT.",
    )
    metadata: JSON | None = strawberry.field(
        default=None, description=f"Replaces the metadata whole (no merge). {METADATA}"
    )
