"""Users and their API tokens. Tokens are random, shown once, and stored only as SHA-256."""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import User
from app.errors import ErrorCode, PaliError, bad_input, not_found

TOKEN_PREFIX = "pali_"  # noqa: S105  (a prefix that makes leaked tokens greppable)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_user(
    *, session: AsyncSession, name: str, is_admin: bool = False
) -> tuple[User, str]:
    """Create a user; return it with its token (the only time the token is visible)."""
    if not _NAME.match(name):
        raise bad_input(
            f"User name {name!r} is not valid: use 1-100 letters, digits, '.', '_', '@' or '-'."
        )
    token = new_token()
    user = User(name=name, token_sha256=hash_token(token), is_admin=is_admin)
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise PaliError(ErrorCode.CONFLICT, f"A user named {name!r} already exists.") from exc
    await session.refresh(user)
    return user, token


async def rotate_token(*, session: AsyncSession, name: str) -> str:
    """Replace a user's token; the old one stops working at once."""
    user = await session.scalar(select(User).where(User.name == name))  # type: ignore[arg-type]
    if user is None:
        raise not_found("User", name)
    token = new_token()
    user.token_sha256 = hash_token(token)
    await session.flush()
    return token


async def list_users(*, session: AsyncSession) -> list[User]:
    return list(await session.scalars(select(User).order_by(User.id)))  # type: ignore[arg-type]


async def authenticate(*, session: AsyncSession, token: str) -> User | None:
    """The user a bearer token belongs to, or None."""
    return await session.scalar(
        select(User).where(User.token_sha256 == hash_token(token))  # type: ignore[arg-type]
    )
