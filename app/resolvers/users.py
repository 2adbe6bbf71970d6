"""Resolvers for the current user."""

from __future__ import annotations

from strawberry.types import Info

from app.schema.users import User


async def me(info: Info) -> User:
    return User.from_model(info.context.owner)
