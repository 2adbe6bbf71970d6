"""Keyset pagination for Relay connections: cursors are opaque, stable under inserts."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import bad_input
from app.settings import settings

T = TypeVar("T")


@dataclass(frozen=True)
class Slice(Generic[T]):
    items: list[T]
    cursors: list[str]
    has_next: bool
    has_previous: bool
    total_count: int


def encode_cursor(row_id: int) -> str:
    return base64.urlsafe_b64encode(f"after:{row_id}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind == "after":
            return int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise bad_input(f"Cursor {cursor!r} is not valid: pass an `endCursor` from a previous page.")


async def paginate(
    session: AsyncSession,
    stmt: Select[Any],
    id_column: Any,
    *,
    first: int | None,
    after: str | None,
) -> Slice[Any]:
    """Run `stmt` (a SELECT of one entity) as one page ordered by `id_column`."""
    limit = settings.default_page_size if first is None else first
    if not 0 <= limit <= settings.max_page_size:
        raise bad_input(f"`first` must be between 0 and {settings.max_page_size}, got {limit}.")
    total = await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    page_stmt = stmt
    if after is not None:
        page_stmt = page_stmt.where(id_column > decode_cursor(after))
    rows = list(await session.scalars(page_stmt.order_by(id_column).limit(limit + 1)))
    items = rows[:limit]
    return Slice(
        items=items,
        cursors=[encode_cursor(item.id) for item in items],
        has_next=len(rows) > limit,
        has_previous=after is not None,
        total_count=total or 0,
    )
