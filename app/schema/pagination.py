"""Relay connections built from a service's `Slice`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from strawberry import relay

from app.services.pagination import Slice

C = TypeVar("C")


def to_connection(cls: type[C], page: Slice[Any], convert: Callable[[Any], Any]) -> C:
    edges = [
        relay.Edge(cursor=c, node=convert(item))
        for c, item in zip(page.cursors, page.items, strict=True)
    ]
    return cls(  # type: ignore[call-arg]
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=page.cursors[0] if page.cursors else None,
            end_cursor=page.cursors[-1] if page.cursors else None,
        ),
        total_count=page.total_count,
    )
