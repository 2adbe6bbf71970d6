"""Two layouts for a page's stored vectors, written and read side by side on one server.

    python -m bench.vector_layout [--pages 1000] [--runs 8]

`toasted` is the service's layout: one `bytea` a page (1,030 x 128 int8 codes and a scale a
token, ~136 KB), stored out of line (TOAST), where Postgres cuts it into ~2 KB chunks, each
a heap tuple, an index entry and a WAL record of its own, and extends the TOAST table a block
at a time. `inline` cuts the same bytes into 8,000-byte parts, one row each, kept in the row
(`STORAGE PLAIN`): COPY writes them with its multi-row inserts and bulk extension. Each run
writes `--pages` pages to each layout in a transaction of its own, alternating which goes
first, and right after each write reads 64 of its pages back (the rerank's size at 100k
pages), checked byte for byte against what was written.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
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


Record = tuple[int, int, bytes] | tuple[int, int, int, bytes]


def toasted_records(first: int, blobs: list[bytes]) -> list[Record]:
    return [(1, first + i, blob) for i, blob in enumerate(blobs)]


def inline_records(first: int, blobs: list[bytes]) -> list[Record]:
    return [
        (1, first + i, start // PART, blob[start : start + PART])
        for i, blob in enumerate(blobs)
        for start in range(0, len(blob), PART)
    ]


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


@dataclass(frozen=True)
class Layout:
    name: str
    table: str
    records: Callable[[int, list[bytes]], list[Record]]
    read: Callable[[asyncpg.Connection, list[int]], Awaitable[dict[int, bytes]]]


LAYOUTS = (
    Layout("toasted", "toasted", toasted_records, read_toasted),
    Layout("inline", "inline_parts", inline_records, read_inline),
)


async def write_then_read(
    conn: asyncpg.Connection, layout: Layout, first: int, blobs: list[bytes]
) -> tuple[float, float, dict[int, bytes]]:
    """Pages/s writing `blobs` in one transaction; ms reading back the first RERANK of them."""
    started = time.perf_counter()
    async with conn.transaction():
        await conn.copy_records_to_table(layout.table, records=layout.records(first, blobs))
    written = len(blobs) / (time.perf_counter() - started)
    started = time.perf_counter()
    found = await layout.read(conn, list(range(first, first + RERANK)))
    return written, (time.perf_counter() - started) * 1000, found


async def run(url: str, pages: int, runs: int) -> None:
    rng = np.random.default_rng(0)
    blobs = [rng.integers(0, 256, PAGE_BYTES, dtype=np.uint8).tobytes() for _ in range(pages)]
    conn = await asyncpg.connect(plain_dsn(url))
    try:
        for statement in _SCHEMA:
            await conn.execute(statement)
        writes: dict[str, list[float]] = {layout.name: [] for layout in LAYOUTS}
        reads: dict[str, list[float]] = {layout.name: [] for layout in LAYOUTS}
        for number in range(runs):
            first = number * pages
            found = []
            for layout in LAYOUTS[:: -1 if number % 2 else 1]:  # each goes first every other run
                written, read_ms, pages_read = await write_then_read(conn, layout, first, blobs)
                writes[layout.name].append(written)
                reads[layout.name].append(read_ms)
                found.append(pages_read)
            assert found[0] == found[1] == {first + i: blobs[i] for i in range(RERANK)}
        for layout in LAYOUTS:
            size = await conn.fetchval(f"SELECT pg_total_relation_size('{layout.table}')")
            print(
                f"{layout.name:8s}: write {statistics.median(writes[layout.name]):6.0f} pages/s"
                f" (runs {', '.join(f'{w:.0f}' for w in writes[layout.name])})"
                f" | read {RERANK} pages {statistics.median(reads[layout.name]):5.1f} ms"
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
