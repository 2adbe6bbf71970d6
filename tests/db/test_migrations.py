"""Migrations run both ways on the real server, and match the models exactly."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

from app.db import migrate
from app.db.embedded import start_embedded_postgres
from app.db.migrate import include_object


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
