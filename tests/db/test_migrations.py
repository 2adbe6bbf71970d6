"""Migrations run both ways on the real server, and match the models exactly."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import numpy as np
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

from app.db import migrate
from app.db.embedded import start_embedded_postgres
from app.db.engine import Database
from app.db.migrate import include_object
from app.db.vectors import CENTROIDS, decode, kmeans_centroids
from bench.synthetic import document_pages
from tests.conftest import make_user
from tests.services.test_search import store


async def _inspect(url: str) -> tuple[list[Any], set[str]]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"include_object": include_object}),
                    SQLModel.metadata,
                )
            )
            tables = set(
                (
                    await conn.execute(
                        text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                    )
                ).scalars()
            )
    finally:
        await engine.dispose()
    return diff, tables


def test_upgrade_downgrade_upgrade_and_no_drift(data_dir: Path) -> None:
    url = start_embedded_postgres(data_dir, database="migrations_test")
    migrate.upgrade(url)
    migrate.downgrade(url, "base")
    _, tables = asyncio.run(_inspect(url))
    assert tables == {"alembic_version"}  # the queue's tables went with 0002's downgrade
    migrate.upgrade(url)
    diff, tables = asyncio.run(_inspect(url))
    assert {"users", "collections", "documents", "pages", "page_embeddings"} <= tables
    assert diff == [], f"models and migrations disagree: {diff}"


async def _pages_with_centroids(url: str, centroids: bytes) -> None:
    """A user's document of 10 embedded pages, every page's centroids set to `centroids`."""
    db = Database(url)
    owner, _ = await make_user(db, "migrating")
    await store(db, owner, range(1))
    async with db.transaction() as session:
        await session.execute(text("UPDATE page_embeddings SET centroids = :c"), {"c": centroids})
    await db.dispose()


async def _stored_centroids(url: str) -> bytes:
    """The one value every page's centroids hold."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            values = {
                bytes(v)
                for v in (
                    await conn.execute(text("SELECT centroids FROM page_embeddings"))
                ).scalars()
            }
    finally:
        await engine.dispose()
    assert len(values) == 1
    return values.pop()


def test_0012_stores_float16_centroids_as_int8_and_back(data_dir: Path) -> None:
    url = start_embedded_postgres(data_dir, database="centroids_migration_test")
    migrate.upgrade(url, "0011")
    before = kmeans_centroids(document_pages(5, 0)[0].astype(np.float32), CENTROIDS)
    asyncio.run(_pages_with_centroids(url, before.astype(np.float16).tobytes()))
    migrate.upgrade(url)
    stored = asyncio.run(_stored_centroids(url))
    assert len(stored) == CENTROIDS * (128 + 4)  # half of float16's 8 KB
    np.testing.assert_allclose(decode(stored, 128), before, atol=0.01)
    migrate.downgrade(url, "0011")
    restored = np.frombuffer(asyncio.run(_stored_centroids(url)), dtype=np.float16)
    np.testing.assert_allclose(restored.reshape(CENTROIDS, 128), before, atol=0.01)
