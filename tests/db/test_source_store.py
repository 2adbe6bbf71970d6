"""Uploaded files go into Postgres and come back out in chunks, byte for byte."""

from __future__ import annotations

import io
import os
from pathlib import Path

from app.db.engine import Database
from app.db.models import Collection, Document, SourceKind
from app.db.page_store import driver_connection
from app.db.source_store import CHUNK, read_source, write_source
from tests.conftest import make_user


async def test_a_multi_chunk_file_round_trips(db: Database, tmp_path: Path) -> None:
    owner, _ = await make_user(db, "streamer")
    data = os.urandom(3 * CHUNK + 12345)  # not a multiple of the chunk size
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    async with db.transaction() as session:
        collection = Collection(owner_id=owner.id, name="c", model="m")  # type: ignore[arg-type]
        session.add(collection)
        await session.flush()
        document = Document(
            collection_id=collection.id,  # type: ignore[arg-type]
            owner_id=owner.id,  # type: ignore[arg-type]
            name="d",
            source=SourceKind.UPLOAD,
        )
        session.add(document)
        await session.flush()
        assert document.id is not None
        await write_source(
            await driver_connection(session), document.owner_id, document.id, path, len(data)
        )
    async with db.session() as session:
        conn = await driver_connection(session)
        out = io.BytesIO()
        assert await read_source(conn, document.owner_id, document.id, out)
        assert out.getvalue() == data
        assert not await read_source(conn, document.owner_id, document.id + 1, io.BytesIO())


async def test_the_driver_connection_is_in_the_session_transaction(db: Database) -> None:
    """Statements sent to the asyncpg connection first, before any through the session, are
    still part of its transaction: they roll back with it."""
    owner, _ = await make_user(db, "raw-first")
    try:
        async with db.transaction() as session:
            conn = await driver_connection(session)
            await conn.execute(
                "INSERT INTO collections (owner_id, name, model, metadata)"
                " VALUES ($1, 'rolled-back', 'm', '{}')",
                owner.id,
            )
            raise RuntimeError("abort")
    except RuntimeError:
        pass
    async with db.session() as session:
        conn = await driver_connection(session)
        assert (
            await conn.fetchval("SELECT count(*) FROM collections WHERE owner_id = $1", owner.id)
            == 0
        )
