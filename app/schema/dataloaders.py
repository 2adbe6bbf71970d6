"""Request-scoped DataLoaders: one query per kind of object however many results ask for it.

Every loader is bound to the requesting user, so a batch never returns another user's rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import defer
from sqlmodel import col
from strawberry.dataloader import DataLoader

from app.db.engine import Database
from app.db.models import Collection, Document, Page, User

T = TypeVar("T")


def _in_order(keys: Sequence[int], rows: Sequence[Any]) -> list[Any]:
    by_id = {row.id: row for row in rows}
    return [by_id.get(key) for key in keys]


class Loaders:
    def __init__(self, db: Database, user: User | None) -> None:
        self.db = db
        self.owner_id = user.id if user is not None else -1
        self.collection = DataLoader[int, Collection | None](self._collections)
        self.document = DataLoader[int, Document | None](self._documents)
        self.page = DataLoader[int, Page | None](self._pages)
        self.page_image = DataLoader[int, bytes | None](self._page_images)
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

    def _owned_pages(self, keys: Sequence[int]) -> Any:
        return (
            select(Page)
            .join(Document, Document.id == Page.document_id)  # type: ignore[arg-type]
            .where(Page.id.in_(keys), Document.owner_id == self.owner_id)  # type: ignore[union-attr,arg-type]
        )

    async def _pages(self, keys: Sequence[int]) -> list[Page | None]:
        # Images are fetched on demand, the tsvector only ever by SQL: neither is loaded here.
        rows = await self._fetch(
            self._owned_pages(keys).options(defer(Page.image), defer(Page.text_tsv))  # type: ignore[arg-type]
        )
        return _in_order(keys, [r[0] for r in rows])

    async def _page_images(self, keys: Sequence[int]) -> list[bytes | None]:
        rows = await self._fetch(
            self._owned_pages(keys).with_only_columns(col(Page.id), col(Page.image))
        )
        images = {row[0]: row[1] for row in rows}
        return [images.get(key) for key in keys]

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
