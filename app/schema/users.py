"""The `User` type."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Self

import strawberry
from strawberry import relay
from strawberry.types import Info

from app.db import models


@strawberry.type(
    name="User",
    description="An account; its bearer token (from `paliapi users`) authenticates requests.",
)
class User(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="The account's name, unique on this server.")
    is_admin: bool = strawberry.field(
        description=(
            "Admins are exempt from the rate limits and from the page cap on `exact: true` "
            "searches."
        )
    )
    created_at: datetime = strawberry.field(description="When the account was created.")

    @classmethod
    def from_model(cls, user: models.User) -> Self:
        return cls(
            id=user.id,  # type: ignore[arg-type]
            name=user.name,
            is_admin=user.is_admin,
            created_at=user.created_at,  # type: ignore[arg-type]
        )

    @classmethod
    def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        # Users see only themselves through `node`.
        me = info.context.user
        return [
            cls.from_model(me) if me and node_id == str(me.id) else None for node_id in node_ids
        ]


def parse_ids(node_ids: Iterable[str]) -> list[int]:
    """Node ids as row ids; a malformed one maps to -1, which matches no row."""
    return [int(i) if i.isdigit() else -1 for i in node_ids]


def rows_to_nodes(cls: Any, rows: list[Any]) -> list[Any]:
    return [cls.from_model(row) if row is not None else None for row in rows]
