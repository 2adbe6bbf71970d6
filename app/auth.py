"""Bearer-token authentication shared by the GraphQL endpoint and the plain HTTP routes."""

from __future__ import annotations

from starlette.requests import HTTPConnection

from app.db.engine import Database
from app.db.models import User
from app.services.users import authenticate


def bearer_token(connection: HTTPConnection) -> str | None:
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def user_from_token(db: Database, token: str | None) -> User | None:
    if not token:
        return None
    async with db.session() as session:
        return await authenticate(session=session, token=token)
