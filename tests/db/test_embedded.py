"""The embedded server is sized to the machine it shares, not left at the stock 128 MB."""

from __future__ import annotations

import asyncio

import asyncpg

from app.db.embedded import MB, memory_limit, server_settings
from app.db.engine import plain_dsn


def test_shared_buffers_are_a_quarter_of_memory_within_bounds() -> None:
    assert server_settings(24 * 1024 * MB)["shared_buffers"] == "6144MB"
    assert server_settings(256 * MB)["shared_buffers"] == "128MB"  # never below the stock
    assert server_settings(256 * 1024 * MB)["shared_buffers"] == "8192MB"


def test_the_running_server_uses_them(database_url: str) -> None:
    async def shown() -> dict[str, str]:
        conn = await asyncpg.connect(plain_dsn(database_url))
        try:
            return {
                name: str(await conn.fetchval(f"SHOW {name}"))
                for name in ("shared_buffers", "max_wal_size", "wal_writer_delay")
            }
        finally:
            await conn.close()

    expected = server_settings(memory_limit())
    running = asyncio.run(shown())
    # Postgres shows sizes in its largest whole unit (6144MB as 6GB).
    assert running == {k: _pg_units(expected[k]) for k in running}


def _pg_units(size: str) -> str:
    megabytes = int(size.removesuffix("MB")) if size.endswith("MB") else None
    if megabytes is not None and megabytes % 1024 == 0:
        return f"{megabytes // 1024}GB"
    return size
