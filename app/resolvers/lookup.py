"""Nullable lookups: `collection(name:)` and `document(...)` answer null for what is not there."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from app.errors import ErrorCode, PaliError

T = TypeVar("T")


async def none_if_missing(lookup: Awaitable[T]) -> T | None:
    try:
        return await lookup
    except PaliError as error:
        if error.code is ErrorCode.NOT_FOUND:
            return None
        raise
