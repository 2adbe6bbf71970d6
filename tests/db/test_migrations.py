"""Migrations run both ways on the real server, and match the models exactly."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import asyncpg
import numpy as np
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from pgqueuer import AsyncpgDriver, Queries
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

from app.db import migrate
from app.db.embedded import start_embedded_postgres
from app.db.engine import Database, plain_dsn
from app.db.migrate import include_object
from app.db.page_store import driver_connection, write_pages
from app.db.vectors import CENTROIDS, COARSE, decode, encode, kmeans_centroids, quantize
from app.ingest.render import RenderedPage
from app.jobs import INGEST, parse_payload, payload
from bench.synthetic import document_pages, insert_documents
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


async def _pages_at_0012(url: str, centroids: bytes) -> None:
    """A user's 10 embedded pages as a server at 0011 or 0012 wrote them, every page's
    centroids (then a column of page_embeddings) set to `centroids`. Today's write path
    writes today's schema, so the embedding rows go in by hand."""
    db = Database(url)
    owner, _ = await make_user(db, "migrating")
    assert owner.id is not None
    page = encode(document_pages(5, 0)[0].astype(np.float32))
    row = (page.token_count, page.dim, page.vectors, centroids, str(page.pooled.tolist()))
    async with db.transaction() as session:
        conn = await driver_connection(session)
        collection_id = await conn.fetchval(
            "INSERT INTO collections (owner_id, name, model, metadata)"
            " VALUES ($1, 'old', 'm', '{}') RETURNING id",
            owner.id,
        )
        [document_id] = await insert_documents(
            conn, owner_id=owner.id, collection_id=collection_id, count=1
        )
        pages = [RenderedPage(n, 800, 1000, b"", "image/webp", None) for n in range(1, 11)]
        await conn.executemany(
            "INSERT INTO page_embeddings (page_id, owner_id, collection_id, document_id, model,"
            " token_count, dim, vectors, centroids, page_vector)"
            " VALUES ($1, $2, $3, $4, 'm', $5, $6, $7, $8, $9::text::halfvec)",
            [
                (page_id, owner.id, collection_id, document_id, *row)
                for page_id in await write_pages(conn, owner.id, document_id, pages)
            ],
        )
    await db.dispose()


async def _rows(url: str, sql: str) -> list[Any]:
    """The rows of one statement, on a connection of its own (the schema moves between calls)."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return list((await conn.execute(text(sql))).all())
    finally:
        await engine.dispose()


async def _stored_centroids(url: str) -> bytes:
    """The one value every page's centroids hold."""
    values = {bytes(r.centroids) for r in await _rows(url, "SELECT centroids FROM page_embeddings")}
    assert len(values) == 1
    return values.pop()


def test_0012_stores_float16_centroids_as_int8_and_back(data_dir: Path) -> None:
    url = start_embedded_postgres(data_dir, database="centroids_migration_test")
    migrate.upgrade(url, "0011")
    before = kmeans_centroids(document_pages(5, 0)[0].astype(np.float32), CENTROIDS)
    asyncio.run(_pages_at_0012(url, before.astype(np.float16).tobytes()))
    migrate.upgrade(url, "0012")
    stored = asyncio.run(_stored_centroids(url))
    assert len(stored) == CENTROIDS * (128 + 4)  # half of float16's 8 KB
    np.testing.assert_allclose(decode(stored, 128), before, atol=0.01)
    migrate.downgrade(url, "0011")
    restored = np.frombuffer(asyncio.run(_stored_centroids(url)), dtype=np.float16)
    np.testing.assert_allclose(restored.reshape(CENTROIDS, 128), before, atol=0.01)


async def _store_for(url: str, name: str) -> None:
    db = Database(url)
    owner, _ = await make_user(db, name)
    await store(db, owner, range(1))
    await db.dispose()


async def _centroid_rows(url: str) -> list[tuple[bool, bytes]]:
    """Each page's centroids in page_centroids: (out of line?, value)."""
    rows = await _rows(
        url,
        "SELECT pg_column_toast_chunk_id(centroids) IS NOT NULL AS out_of_line, centroids"
        " FROM page_centroids",
    )
    return [(bool(r.out_of_line), bytes(r.centroids)) for r in rows]


def test_0013_moves_centroids_into_their_own_rows_and_back(data_dir: Path) -> None:
    url = start_embedded_postgres(data_dir, database="centroids_table_test")
    migrate.upgrade(url, "0012")
    centroids = quantize(kmeans_centroids(document_pages(5, 0)[0].astype(np.float32), CENTROIDS))
    asyncio.run(_pages_at_0012(url, centroids))
    migrate.upgrade(url)
    moved = asyncio.run(_centroid_rows(url))
    assert len(moved) == 10
    assert moved == [(False, centroids)] * 10  # every value kept whole in its row
    migrate.downgrade(url, "0012")
    assert asyncio.run(_stored_centroids(url)) == centroids
    migrate.upgrade(url)
    asyncio.run(_store_for(url, "later"))  # the write path's rows
    written = asyncio.run(_centroid_rows(url))
    assert len(written) == 20 and not any(out for out, _ in written)


def _graph_options(url: str, index: str = "ix_page_embeddings_page_vector_128") -> list[str] | None:
    [row] = asyncio.run(_rows(url, f"SELECT reloptions FROM pg_class WHERE relname = '{index}'"))
    options: list[str] | None = row.reloptions
    return options


def test_0014_rebuilds_the_first_stage_graph_with_eight_links_and_back(data_dir: Path) -> None:
    url = start_embedded_postgres(data_dir, database="hnsw_links_test")
    migrate.upgrade(url)
    asyncio.run(_store_for(url, "before"))  # pages in the graph before it is rebuilt
    migrate.downgrade(url, "0013")
    assert _graph_options(url) is None  # pgvector's default, 16 links
    migrate.upgrade(url, "0014")
    assert _graph_options(url) == ["m=8"]
    assert asyncio.run(_rows(url, "SELECT count(*) AS n FROM page_embeddings"))[0].n == 10
    migrate.downgrade(url, "0013")
    assert _graph_options(url) is None


async def _coarse(url: str, table: str = "page_keys") -> dict[int, bytes]:
    rows = await _rows(url, f"SELECT page_id, coarse FROM {table}")
    return {int(r.page_id): bytes(r.coarse) for r in rows}


def test_0015_gives_pages_written_before_it_the_coarse_centroids_of_today(
    data_dir: Path,
) -> None:
    url = start_embedded_postgres(data_dir, database="coarse_centroids_test")
    migrate.upgrade(url)
    asyncio.run(_store_for(url, "coarse"))
    written = asyncio.run(_coarse(url))  # as the write path computes them
    migrate.downgrade(url, "0014")
    assert "coarse" not in {c.name for c in asyncio.run(_rows(url, _COLUMNS))}
    migrate.upgrade(url)
    filled = asyncio.run(_coarse(url))  # by the migration, from the stored centroids
    assert len(filled) == 10 and filled == written
    assert {len(blob) for blob in filled.values()} == {COARSE * (128 + 4)}
    migrate.downgrade(url, "0015")
    assert _graph_options(url) == ["m=8"]  # the index built again as 0014 left it


async def _keys(url: str, table: str) -> dict[int, tuple[str, bytes]]:
    rows = await _rows(url, f"SELECT page_id, page_vector::text AS v, coarse FROM {table}")
    return {int(r.page_id): (r.v, bytes(r.coarse)) for r in rows}


def test_0016_moves_the_first_stage_keys_into_owner_partitions_and_back(data_dir: Path) -> None:
    url = start_embedded_postgres(data_dir, database="page_keys_test")
    migrate.upgrade(url)
    asyncio.run(_store_for(url, "ada"))
    asyncio.run(_store_for(url, "bea"))
    written = asyncio.run(_keys(url, "page_keys"))
    migrate.downgrade(url, "0015")
    assert asyncio.run(_keys(url, "page_embeddings")) == written
    assert _graph_options(url) == ["m=8"]
    migrate.upgrade(url)
    assert asyncio.run(_keys(url, "page_keys")) == written
    assert {"page_vector", "coarse"}.isdisjoint(c.name for c in asyncio.run(_rows(url, _COLUMNS)))
    partitions = asyncio.run(
        _rows(
            url,
            "SELECT c.relname, count(k.*) AS n FROM pg_inherits i"
            " JOIN pg_class c ON c.oid = i.inhrelid"
            " LEFT JOIN page_keys k ON k.tableoid = c.oid"
            " WHERE i.inhparent = 'page_keys'::regclass GROUP BY c.relname",
        )
    )
    assert len(partitions) == 16
    assert sorted(r.n for r in partitions if r.n) == [10, 10]  # each owner's pages in one
    for r in partitions:  # and a graph in every partition, as the parent's index made it
        assert _graph_options(url, f"{r.relname}_page_vector_idx") == ["m=8"]


_COLUMNS = (
    "SELECT column_name AS name FROM information_schema.columns"
    " WHERE table_name = 'page_embeddings'"
)


async def _enqueue_old_style(url: str) -> tuple[int, int]:
    """An ingest job as workers before 0017 queued it: the document id alone."""
    connection = await asyncpg.connect(plain_dsn(url))
    try:
        owner_id, document_id = await connection.fetchrow("SELECT owner_id, id FROM documents")
        await Queries(AsyncpgDriver(connection)).enqueue(INGEST, str(document_id).encode())
    finally:
        await connection.close()
    return owner_id, document_id


async def _payloads(url: str) -> list[bytes]:
    return [bytes(r.payload) for r in await _rows(url, "SELECT payload FROM pgqueuer")]


def test_0017_rewrites_queued_jobs_to_name_their_owner_and_back(data_dir: Path) -> None:
    url = start_embedded_postgres(data_dir, database="job_owner_test")
    migrate.upgrade(url)
    asyncio.run(_store_for(url, "ada"))
    migrate.downgrade(url, "0016")
    owner_id, document_id = asyncio.run(_enqueue_old_style(url))
    migrate.upgrade(url)
    assert asyncio.run(_payloads(url)) == [payload(owner_id, document_id)]
    assert parse_payload(payload(owner_id, document_id)) == (owner_id, document_id)
    with pytest.raises(ValueError, match="is not `owner_id/id`"):
        parse_payload(str(document_id).encode())  # one queued by an older process
    migrate.downgrade(url, "0016")
    assert asyncio.run(_payloads(url)) == [str(document_id).encode()]
