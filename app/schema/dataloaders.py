"""Request-scoped DataLoaders: one query per kind of object however many results ask for it.

Every loader is bound to the requesting user, so a batch never returns another user's rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlmodel import col
from strawberry.dataloader import DataLoader

from app.db.engine import Database
from app.db.models import Collection, Document, Page, User
from app.services import pages

T = TypeVar("T")


def _in_order(keys: Sequence[int], rows: Sequence[Any]) -> list[Any]:
    by_id = {row.id: row for row in rows}
    return [by_id.get(key) for key in keys]


class Loaders:
    def __init__(self, db: Database, user: User | None) -> None:
        self.db = db
        self.owner_id: int = user.id if user is not None and user.id is not None else -1
        self.collection = DataLoader[int, Collection | None](self._collections)
        self.document = DataLoader[int, Document | None](self._documents)
        self.page = DataLoader[int, Page | None](self._pages)
        self.page_image = DataLoader[int, bytes | None](self._page_images)
        self.page_patches = DataLoader[int, pages.StoredPatches | None](self._page_patches)
        self.collection_counts = DataLoader[int, tuple[int, int]](self._collection_counts)

    async def _fetch(self, stmt: Any) -> list[Any]:
        async with self.db.session() as session:
            return list((await session.execute(stmt)).all())

    async def _collections(self, keys: Sequence[int]) -> list[Collection | None]:
        rows = await self._fetch(
            select(Collection).where(
                Collection.id.in_(keys),  # type: ignore[union-attr]
                Collection.owner_id == self.owner_id,  # type: ignore[arg-type]
            )
        )
        return _in_order(keys, [r[0] for r in rows])

    async def _documents(self, keys: Sequence[int]) -> list[Document | None]:
        rows = await self._fetch(
            select(Document).where(
                Document.id.in_(keys),  # type: ignore[union-attr]
                Document.owner_id == self.owner_id,  # type: ignore[arg-type]
            )
        )
        return _in_order(keys, [r[0] for r in rows])

    async def _pages(self, keys: Sequence[int]) -> list[Page | None]:
        async with self.db.session() as session:
            rows = await pages.owned_pages(session=session, owner_id=self.owner_id, page_ids=keys)
        return _in_order(keys, rows)

    async def _page_images(self, keys: Sequence[int]) -> list[bytes | None]:
        async with self.db.session() as session:
            images = await pages.owned_page_images(
                session=session, owner_id=self.owner_id, page_ids=keys
            )
        return [image.data if (image := images.get(key)) else None for key in keys]

    async def _page_patches(self, keys: Sequence[int]) -> list[pages.StoredPatches | None]:
        async with self.db.session() as session:
            found = await pages.owned_patches(
                session=session, owner_id=self.owner_id, page_ids=keys
            )
        return [found.get(key) for key in keys]

    async def _collection_counts(self, keys: Sequence[int]) -> list[tuple[int, int]]:
        rows = await self._fetch(
            select(
                col(Document.collection_id),
                func.count(),
                func.coalesce(func.sum(col(Document.page_count)), 0),
            )
            .where(
                col(Document.collection_id).in_(keys),
                col(Document.owner_id) == self.owner_id,
            )
            .group_by(col(Document.collection_id))
        )
        counts = {row[0]: (int(row[1]), int(row[2])) for row in rows}
        return [counts.get(key, (0, 0)) for key in keys]
