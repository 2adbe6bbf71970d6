"""Uploaded files in Postgres, streamed both ways: never the whole file in memory.

In: one binary COPY row whose bytea is read from the file a chunk at a time. Out: `substring`
of the value, a chunk at a time (the column is stored uncompressed, migration 0003, so each
read touches only the TOAST chunks it needs).
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator
from pathlib import Path
from typing import IO, Any

CHUNK = 1 << 20
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
_COPY_TRAILER = struct.pack("!h", -1)


async def write_source(conn: Any, owner_id: int, document_id: int, path: Path, size: int) -> None:
    """Store the file at `path` (`size` bytes) as the document's source, in this transaction."""

    async def rows() -> AsyncIterator[bytes]:
        # One tuple of three fields: bigint owner_id and document_id, then `size` bytes of data.
        yield _COPY_HEADER + struct.pack("!hiqiqi", 3, 8, owner_id, 8, document_id, size)
        with path.open("rb") as file:
            while chunk := await asyncio.to_thread(file.read, CHUNK):
                yield chunk
        yield _COPY_TRAILER

    await conn.copy_to_table(
        "document_sources",
        source=rows(),
        columns=["owner_id", "document_id", "data"],
        format="binary",
    )


_WHERE = "WHERE owner_id = $1 AND document_id = $2"


async def read_source(conn: Any, owner_id: int, document_id: int, out: IO[bytes]) -> bool:
    """Write the document's source into `out`; False when there is none."""
    size = await conn.fetchval(
        f"SELECT octet_length(data) FROM document_sources {_WHERE}",  # noqa: S608
        owner_id,
        document_id,
    )
    if size is None:
        return False
    for offset in range(0, size, CHUNK):
        chunk = await conn.fetchval(
            f"SELECT substring(data FROM $3 FOR $4) FROM document_sources {_WHERE}",  # noqa: S608
            owner_id,
            document_id,
            offset + 1,  # SQL strings count from 1
            CHUNK,
        )
        await asyncio.to_thread(out.write, chunk)
    return True
