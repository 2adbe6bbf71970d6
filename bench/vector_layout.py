"""Two layouts for a page's stored vectors, written and read side by side on one server.

    python -m bench.vector_layout [--pages 1000] [--runs 8]

`toasted` is the service's layout: one `bytea` a page (1,030 x 128 int8 codes and a scale a
token, ~136 KB), stored out of line (TOAST), where Postgres cuts it into ~2 KB chunks, each
a heap tuple, an index entry and a WAL record of its own, and extends the TOAST table a block
at a time. `inline` cuts the same bytes into 8,000-byte parts, one row each, kept in the row
(`STORAGE PLAIN`): COPY writes them with its multi-row inserts and bulk extension. Each run
writes `--pages` pages to each layout in a transaction of its own, alternating which goes
first, then reads 64 pages back (the rerank's size at 100k pages) from each.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import asyncpg
import numpy as np

from app.db.embedded import start_embedded_postgres
from app.db.engine import plain_dsn

PART = 8_000  # bytes a row: one row fills one 8 KB heap page
PAGE_BYTES = 1030 * 128 + 1030 * 4  # int8 codes and a float32 scale a token
RERANK = 64

_SCHEMA = (
    "CREATE TABLE toasted (owner_id bigint, page_id bigint, vectors bytea NOT NULL,"
    " PRIMARY KEY (owner_id, page_id))",
    "ALTER TABLE toasted ALTER COLUMN vectors SET STORAGE EXTERNAL",
    "CREATE TABLE inline_parts (owner_id bigint, page_id bigint, part smallint,"
    " bytes bytea NOT NULL, PRIMARY KEY (owner_id, page_id, part))",
    "ALTER TABLE inline_parts ALTER COLUMN bytes SET STORAGE PLAIN",
)


async def write_toasted(conn: asyncpg.Connection, first: int, blobs: list[bytes]) -> float:
    started = time.perf_counter()
    async with conn.transaction():
        await conn.copy_records_to_table(
            "toasted", records=[(1, first + i, blob) for i, blob in enumerate(blobs)]
        )
    return time.perf_counter() - started


async def write_inline(conn: asyncpg.Connection, first: int, blobs: list[bytes]) -> float:
    started = time.perf_counter()
    async with conn.transaction():
        await conn.copy_records_to_table(
            "inline_parts",
            records=[
                (1, first + i, start // PART, blob[start : start + PART])
                for i, blob in enumerate(blobs)
                for start in range(0, len(blob), PART)
            ],
        )
    return time.perf_counter() - started


async def read_toasted(conn: asyncpg.Connection, ids: list[int]) -> dict[int, bytes]:
    rows = await conn.fetch(
        "SELECT page_id, vectors FROM toasted WHERE owner_id = 1 AND page_id = ANY($1)", ids
    )
    return {row[0]: row[1] for row in rows}


async def read_inline(conn: asyncpg.Connection, ids: list[int]) -> dict[int, bytes]:
    rows = await conn.fetch(
        "SELECT page_id, part, bytes FROM inline_parts WHERE owner_id = 1 AND page_id = ANY($1)",
        ids,
    )
    parts: dict[int, list[tuple[int, bytes]]] = {}
    for page_id, part, data in rows:
        parts.setdefault(page_id, []).append((part, data))
    return {page: b"".join(data for _, data in sorted(found)) for page, found in parts.items()}


async def run(url: str, pages: int, runs: int) -> None:
    rng = np.random.default_rng(0)
    blobs = [rng.integers(0, 256, PAGE_BYTES, dtype=np.uint8).tobytes() for _ in range(pages)]
    conn = await asyncpg.connect(plain_dsn(url))
    try:
        for statement in _SCHEMA:
            await conn.execute(statement)
        writes: dict[str, list[float]] = {"toasted": [], "inline": []}
        reads: dict[str, list[float]] = {"toasted": [], "inline": []}
        for number in range(runs):
            first = number * pages
            if number % 2:
                inline = await write_inline(conn, first, blobs)
                toasted = await write_toasted(conn, first, blobs)
            else:
                toasted = await write_toasted(conn, first, blobs)
                inline = await write_inline(conn, first, blobs)
            writes["toasted"].append(pages / toasted)
            writes["inline"].append(pages / inline)
            ids = list(range(first, first + RERANK))
            started = time.perf_counter()
            expected = await read_toasted(conn, ids)
            reads["toasted"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            found = await read_inline(conn, ids)
            reads["inline"].append((time.perf_counter() - started) * 1000)
            assert found == expected
        for layout, table in (("toasted", "toasted"), ("inline", "inline_parts")):
            size = await conn.fetchval(f"SELECT pg_total_relation_size('{table}')")
            print(
                f"{layout:8s}: write {statistics.median(writes[layout]):6.0f} pages/s"
                f" (runs {', '.join(f'{w:.0f}' for w in writes[layout])})"
                f" | read {RERANK} pages {statistics.median(reads[layout]):5.1f} ms"
                f" | {size / (pages * runs):,.0f} B/page with its indexes"
            )
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = start_embedded_postgres(Path(tmp) / "data", database="bench")
        asyncio.run(run(url, args.pages, args.runs))


if __name__ == "__main__":
    main()
