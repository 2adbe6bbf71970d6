"""Run alembic migrations from code (the CLI, `serve` start-up and the tests share this)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from alembic.config import Config

from alembic import command

ROOT = Path(__file__).resolve().parents[2]


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Autogenerate ignores the job queue's schema: pgqueuer owns it (installed by 0002)."""
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    if type_ == "index" and str(name).startswith("ix_page_keys_page_vector_"):
        return False  # HNSW expression indexes (0016): autogenerate cannot compare them
    if reflected and re.fullmatch(r"page_keys_\d+", str(table or "")):
        return False  # page_keys' partitions (0016), and their indexes
    return not str(table or "").startswith("pgqueuer")


def alembic_config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    # `%` would be read as interpolation by configparser.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)
