"""`paliapi doctor`: what the current settings lead to, checked, with what to do about each problem.

Every deployment runs the same checks: the database (embedded or DATABASE_URL, reachable,
pgvector, migrations current), the embeddings backend (installed, model, device, reachable),
the ingestion worker (in-process or separate processes, the queue), and the programs the
worker converts documents with (LibreOffice, Chromium).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from app.db.engine import Database, resolve_database_url
from app.db.migrate import alembic_config
from app.errors import PaliError
from app.ingest.convert import LIBREOFFICE_PACKAGES
from app.ingest.web_page import CHROMIUM_PACKAGE
from app.jobs import queue_stats
from app.settings import Settings
from gpu.engine import resolve_device

Status = Literal["ok", "warn", "fail"]
STALE_QUEUE_S = 120.0  # a job queued this long with no worker taking it means no worker runs


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str = ""


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


async def check_database(settings: Settings) -> tuple[list[Check], Database | None]:
    """The checks, and a database handle when its schema is current (else None)."""
    where = (
        f"DATABASE_URL {_redacted(settings.database_url)}"
        if settings.database_url
        else f"embedded PostgreSQL in {settings.data_dir.resolve()}"
    )
    try:
        url = resolve_database_url(settings)
        db: Database | None = Database(url, pool_size=1)
        assert db is not None
        async with db.session() as session:
            version = await session.scalar(text("SHOW server_version"))
            vector = (
                await session.execute(
                    text(
                        "SELECT default_version, installed_version FROM pg_available_extensions"
                        " WHERE name = 'vector'"
                    )
                )
            ).first()
            current = await session.run_sync(
                lambda s: MigrationContext.configure(s.connection()).get_current_revision()
            )
    except Exception as exc:
        fix = (
            "Check DATABASE_URL (host, port, user, password, database) and that Postgres runs."
            if settings.database_url
            else f"Check that {settings.data_dir} is writable and not used by another version."
        )
        return [Check("database", "fail", f"{where}: {type(exc).__name__}: {exc}", fix)], None
    checks = [Check("database", "ok", f"{where}, PostgreSQL {version}")]
    if vector is None:
        checks.append(
            Check(
                "pgvector",
                "fail",
                "this server has no pgvector extension",
                "Use a Postgres with pgvector (e.g. the pgvector/pgvector:pg17 image).",
            )
        )
    elif vector.installed_version is None:
        checks.append(
            Check(
                "pgvector",
                "warn",
                f"vector {vector.default_version} available, not created yet",
                "`paliapi migrate` creates it.",
            )
        )
    else:
        checks.append(Check("pgvector", "ok", f"vector {vector.installed_version}"))
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    if current == head:
        checks.append(Check("migrations", "ok", f"at {head} (current)"))
    else:
        await db.dispose()
        db = None  # the queue's tables may not exist yet: nothing more to read there
        checks.append(
            Check(
                "migrations",
                "fail",
                f"at {current or 'none'}, code expects {head}",
                "Run `paliapi migrate` (serve does it on start).",
            )
        )
    return checks, db


def _weights(model: str) -> Check:
    if Path(model).is_dir():
        found = (Path(model) / "config.json").is_file() or (
            Path(model) / "adapter_config.json"
        ).is_file()
        if found:
            return Check("weights", "ok", f"local checkpoint {model}")
        return Check(
            "weights",
            "fail",
            f"{model} has no config.json",
            "Point EMBEDDINGS_MODEL at a directory saved with save_pretrained.",
        )
    from huggingface_hub import try_to_load_from_cache

    cached = any(
        isinstance(try_to_load_from_cache(model, name), str)
        for name in ("config.json", "adapter_config.json")
    )
    if cached:
        return Check("weights", "ok", f"{model} is in the Hugging Face cache")
    offline = os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0")
    return Check(
        "weights",
        "fail" if offline else "warn",
        f"{model} is not cached yet" + (" and HF_HUB_OFFLINE is set" if offline else ""),
        "The first embedding downloads it (needs the Hugging Face Hub). Without network: set "
        "EMBEDDINGS_MODEL to a local checkpoint directory, or another EMBEDDINGS_BACKEND.",
    )


async def check_embeddings(settings: Settings) -> list[Check]:
    backend = settings.embeddings_backend
    checks = [Check("embeddings backend", "ok", f"{backend}, model {settings.model_name}")]
    if backend == "local":
        missing = [m for m in ("torch", "colpali_engine") if importlib.util.find_spec(m) is None]
        if missing:
            checks.append(
                Check(
                    "local engine",
                    "fail",
                    f"not installed: {', '.join(missing)}",
                    "pip install 'paliapi[local]' (make serve does), "
                    "or EMBEDDINGS_BACKEND=http|modal.",
                )
            )
        else:
            checks.append(
                Check("local engine", "ok", f"device {resolve_device(settings.embeddings_device)}")
            )
        checks.append(_weights(settings.model_name))
        return checks
    from app.embeddings.factory import make_embedder

    try:
        embedder = make_embedder(settings)
    except PaliError as error:
        return [*checks, Check("embedding service", "fail", error.message, "Set EMBEDDINGS_URL.")]
    try:
        if backend == "http":
            from app.embeddings.http import HttpEmbedder

            inner = embedder.inner
            assert isinstance(inner, HttpEmbedder)
            info = await inner.describe()
            detail = (
                f"{settings.embeddings_url}: {info.get('model')} on {info.get('device')} "
                f"({info.get('dtype')})"
            )
            await embedder.embed_queries(["paliapi doctor"])  # proves the token, costs one query
        else:
            detail = f"modal app {settings.modal_app_name!r}"
            await embedder.embed_queries(["paliapi doctor"])
        checks.append(Check("embedding service", "ok", detail + f"; serves {embedder.model_name}"))
    except PaliError as error:
        fix = (
            "Start `python -m gpu.server` on the GPU box (or fix EMBEDDINGS_URL / "
            "EMBEDDINGS_URL_TOKEN)."
            if backend == "http"
            else "`modal deploy gpu/modal_app.py`; set MODAL_TOKEN_ID/MODAL_TOKEN_SECRET."
        )
        checks.append(Check("embedding service", "fail", error.message, fix))
    finally:
        await embedder.aclose()
    return checks


async def check_worker(settings: Settings, db: Database | None) -> list[Check]:
    in_process = (
        settings.inprocess_worker
        if settings.inprocess_worker is not None
        else settings.database_url is None
    )
    mode = (
        "in-process (inside `paliapi serve`)"
        if in_process
        else "separate `paliapi worker` processes"
    )
    checks = [Check("worker", "ok", mode)]
    if db is None:
        return checks
    async with db.session() as session:
        stats = await queue_stats(session)
    queued, picked = stats.get("queued"), stats.get("picked")
    detail = f"{queued.jobs if queued else 0} queued, {picked.jobs if picked else 0} running"
    if queued and queued.oldest_s > STALE_QUEUE_S:
        start = (
            "`paliapi serve`" if in_process else "`paliapi worker` (or `docker compose up worker`)"
        )
        checks.append(
            Check(
                "queue",
                "warn",
                f"{detail}; the oldest has waited {queued.oldest_s:.0f} s",
                f"No worker seems to take jobs: start {start} and check its log.",
            )
        )
    else:
        checks.append(Check("queue", "ok", detail))
    return checks


def check_converters(settings: Settings) -> list[Check]:
    """The programs the worker renders Office files and web pages with: a missing one only
    refuses those types (UNSUPPORTED_MEDIA_TYPE), so it is a warning."""
    checks = []
    for name, program, packages, kinds in (
        ("LibreOffice", settings.soffice, LIBREOFFICE_PACKAGES, "Office and RTF files"),
        ("Chromium", settings.chromium, CHROMIUM_PACKAGE, "web pages (HTML)"),
    ):
        found = shutil.which(program)
        if found:
            checks.append(Check(name, "ok", found))
        else:
            checks.append(
                Check(
                    name,
                    "warn",
                    f"`{program}` not found: {kinds} are refused",
                    f"On the worker's machine: `apt-get install {packages}` (the Docker image "
                    "has it).",
                )
            )
    return checks


async def run_checks(settings: Settings) -> list[Check]:
    checks, db = await check_database(settings)
    try:
        checks += await check_embeddings(settings)
        checks += await check_worker(settings, db)
        checks += check_converters(settings)
    finally:
        if db is not None:
            await db.dispose()
    return checks
