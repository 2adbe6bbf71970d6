"""Resolvers for collections: authenticate (permission class), call the service, map the result."""

from __future__ import annotations

from strawberry.scalars import JSON
from strawberry.types import Info

from app.resolvers.lookup import none_if_missing
from app.schema.collections import (
    Collection,
    CollectionConnection,
    CreateCollectionInput,
    UpdateCollectionInput,
)
from app.schema.pagination import to_connection
from app.services import collections as service


async def collection(info: Info, name: str) -> Collection | None:
    async with info.context.db.session() as session:
        row = await none_if_missing(
            service.get_collection(session=session, owner=info.context.owner, name=name)
        )
    return Collection.from_model(row) if row is not None else None


async def collections(
    info: Info, filter: JSON | None = None, first: int | None = None, after: str | None = None
) -> CollectionConnection:
    async with info.context.db.session() as session:
        page = await service.list_collections(
            session=session, owner=info.context.owner, filter=filter, first=first, after=after
        )
    return to_connection(CollectionConnection, page, Collection.from_model)


async def create_collection(info: Info, input: CreateCollectionInput) -> Collection:
    async with info.context.db.transaction() as session:
        row = await service.create_collection(
            session=session,
            owner=info.context.owner,
            name=input.name,
            metadata=input.metadata,
            model=input.model,
            pool_factor=input.pool_factor,
        )
    return Collection.from_model(row)


async def update_collection(info: Info, input: UpdateCollectionInput) -> Collection:
    async with info.context.db.transaction() as session:
        row = await service.update_collection(
            session=session,
            owner=info.context.owner,
            name=input.name,
            new_name=input.new_name,
            metadata=input.metadata,
        )
    return Collection.from_model(row)


async def delete_collection(info: Info, name: str) -> bool:
    async with info.context.db.transaction() as session:
        await service.delete_collection(session=session, owner=info.context.owner, name=name)
    return True
