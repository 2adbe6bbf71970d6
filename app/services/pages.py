"""Pages: the one home of the owner-scoped page queries (GraphQL loaders, the image route and
similarity maps all call these), so no other layer writes its own page SQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer
from sqlmodel import col

from app.db.models import Page, PageEmbedding
from gpu.wire import PatchGrid


@dataclass(frozen=True)
class PageImage:
    data: bytes
    mime: str


@dataclass(frozen=True)
class StoredPatches:
    """A page's stored multi-vector (as app/db/vectors.py encodes it) and its patch grid."""

    vectors: bytes
    dim: int
    grid: PatchGrid | None


def _owned(owner_id: int, *columns: Any) -> Any:
    """Pages limited to one owner's: the tenant boundary (and the key's leading column)."""
    return select(*columns).where(col(Page.owner_id) == owner_id)


async def owned_pages(
    *, session: AsyncSession, owner_id: int, page_ids: Sequence[int]
) -> list[Page]:
    """The owner's pages among `page_ids` (others' and missing ones left out), no image."""
    # Images are fetched on demand, the tsvector only ever by SQL: neither is loaded here.
    rows = await session.scalars(
        _owned(owner_id, Page)
        .where(col(Page.id).in_(page_ids))
        .options(defer(Page.image), defer(Page.text_tsv))  # type: ignore[arg-type]
    )
    return list(rows)


async def owned_page_images(
    *, session: AsyncSession, owner_id: int, page_ids: Sequence[int]
) -> dict[int, PageImage]:
    """The stored images of the owner's pages among `page_ids`, by page id."""
    rows = await session.execute(
        _owned(owner_id, col(Page.id), col(Page.image), col(Page.image_mime)).where(
            col(Page.id).in_(page_ids)
        )
    )
    return {int(row[0]): PageImage(row[1], row[2]) for row in rows}


async def owned_patches(
    *, session: AsyncSession, owner_id: int, page_ids: Sequence[int]
) -> dict[int, StoredPatches]:
    """The stored vectors and patch grids of the owner's pages among `page_ids`, by page id."""
    rows = await session.execute(
        select(
            col(PageEmbedding.page_id),
            col(PageEmbedding.vectors),
            col(PageEmbedding.dim),
            col(PageEmbedding.patch_offset),
            col(PageEmbedding.patch_rows),
            col(PageEmbedding.patch_columns),
        ).where(col(PageEmbedding.owner_id) == owner_id, col(PageEmbedding.page_id).in_(page_ids))
    )
    found: dict[int, StoredPatches] = {}
    for page_id, blob, dim, offset, height, width in rows:
        grid = None
        if offset is not None and height is not None and width is not None:
            grid = PatchGrid(offset, height, width)
        found[int(page_id)] = StoredPatches(blob, dim, grid)
    return found
