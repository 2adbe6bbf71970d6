"""Collections: a user's named sets of documents, all embedded with one model."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.integrity import violations_as
from app.db.metadata_filter import compile_filter
from app.db.models import Collection, User, metadata_column
from app.errors import ErrorCode, PaliError, bad_input, not_found
from app.services import webhooks
from app.services.names import check_metadata, check_name, check_text_fields
from app.services.pagination import Slice, paginate
from app.settings import settings

MAX_NAME = 200
MAX_POOL_FACTOR = 16  # the check constraint of migration 0008


def _conflict(name: str) -> PaliError:
    return PaliError(
        ErrorCode.CONFLICT, f"A collection named {name!r} already exists; choose another name."
    )


async def create_collection(
    *,
    session: AsyncSession,
    owner: User,
    name: str,
    metadata: Any = None,
    model: str | None = None,
    pool_factor: int | None = None,
) -> Collection:
    check_name("Collection", name, max_length=MAX_NAME)
    if pool_factor is not None and not 1 <= pool_factor <= MAX_POOL_FACTOR:
        raise bad_input(
            f"`poolFactor` must be between 1 (no pooling) and {MAX_POOL_FACTOR}; "
            f"got {pool_factor}. 3 keeps about a third of each page's vectors.",
            field="poolFactor",
        )
    if model is not None and model != settings.model_name:
        raise bad_input(
            f"This server embeds with {settings.model_name!r}; a collection cannot use {model!r}."
        )
    collection = Collection(
        owner_id=owner.id,  # type: ignore[arg-type]
        name=name,
        meta=check_metadata(metadata),
        model=settings.model_name,
        pool_factor=pool_factor or 1,
    )
    session.add(collection)
    with violations_as(unique=_conflict(name)):
        await session.flush()
    await session.refresh(collection)
    return collection


async def get_collection(*, session: AsyncSession, owner: User, name: str) -> Collection:
    check_text_fields(collectionName=name)
    collection: Collection | None = await session.scalar(
        select(Collection).where(
            Collection.owner_id == owner.id,  # type: ignore[arg-type]
            Collection.name == name,  # type: ignore[arg-type]
        )
    )
    if collection is None:
        raise not_found("Collection", name)
    return collection


async def list_collections(
    *,
    session: AsyncSession,
    owner: User,
    filter: Any = None,
    first: int | None = None,
    after: str | None = None,
) -> Slice[Collection]:
    stmt = select(Collection).where(Collection.owner_id == owner.id)  # type: ignore[arg-type]
    if filter is not None:
        stmt = stmt.where(compile_filter(metadata_column(Collection), filter))
    return await paginate(session, stmt, Collection.id, first=first, after=after)


async def update_collection(
    *,
    session: AsyncSession,
    owner: User,
    name: str,
    new_name: str | None = None,
    metadata: Any = None,
) -> Collection:
    """Rename and/or replace the metadata (a given object replaces the old one whole)."""
    collection = await get_collection(session=session, owner=owner, name=name)
    if new_name is not None:
        collection.name = check_name("Collection", new_name, max_length=MAX_NAME)
    if metadata is not None:
        collection.meta = check_metadata(metadata)
    with violations_as(unique=_conflict(new_name or name)):
        await session.flush()
    await session.refresh(collection)
    return collection


async def delete_collection(*, session: AsyncSession, owner: User, name: str) -> None:
    """Delete a collection with its documents, pages and embeddings (cascade)."""
    collection = await get_collection(session=session, owner=owner, name=name)
    await webhooks.emit_collection_deleted(session, collection)
    await session.delete(collection)
    await session.flush()
