"""The async engine and session factory, built once per process from the database URL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from app.db.embedded import start_embedded_postgres
from app.settings import Settings

# asyncpg's ways of saying the server went away (restart, failover, network), as opposed to
# refusing a statement: work that meets one of these is retried, never marked failed.
_AWAY = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,  # includes "connection was closed in the middle of operation"
    asyncpg.AdminShutdownError,
    asyncpg.CannotConnectNowError,
    asyncpg.CrashShutdownError,
)


def database_away(error: BaseException) -> bool:
    """True when `error` (or what caused it) means the database could not be reached."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, DBAPIError) and seen.connection_invalidated:
            return True
        if isinstance(seen, _AWAY):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def asyncpg_url(url: str) -> str:
    """Accept the URL forms users paste (`postgres://`, `postgresql://`) and pick the driver."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError(f"DATABASE_URL is not a URL: {url!r}")
    if scheme in ("postgres", "postgresql", "postgresql+psycopg", "postgresql+psycopg2"):
        scheme = "postgresql+asyncpg"
    return f"{scheme}://{rest}"


def plain_dsn(url: str) -> str:
    """The SQLAlchemy URL as a libpq DSN, for asyncpg and pgqueuer used directly."""
    return url.replace("postgresql+asyncpg://", "postgresql://")


def resolve_database_url(settings: Settings) -> str:
    """`DATABASE_URL` when set; otherwise start the embedded server and use it."""
    if settings.database_url:
        return asyncpg_url(settings.database_url)
    return start_embedded_postgres(settings.data_dir)


def make_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


class Database:
    """Owns the engine; hands out sessions. One per process, created at start-up."""

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = url
        self.engine = make_engine(url, pool_size=pool_size)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessionmaker() as session:
            yield session

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose work commits as one unit, or not at all."""
        async with self.sessionmaker() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
