"""`paliapi doctor`: each check against the real thing, and a fix for each problem."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.doctor import Check, check_converters, run_checks
from app.settings import Settings
from gpu.engine import Engine, EngineOptions
from gpu.server import create_app
from tests.conftest import _free_port, serve_in_thread


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {check.name: check for check in checks}


def settings_for(database_url: str, **env: str) -> Settings:
    values: dict[str, object] = {"DATABASE_URL": database_url, **env}
    return Settings.model_validate(values)


async def test_a_healthy_local_setup(database_url: str, tiny_model: Path) -> None:
    # The converters are looked up by path: any existing program passes (they are only run
    # for Office files and web pages, which tests/ingest covers).
    found = {"PALIAPI_SOFFICE": sys.executable, "PALIAPI_CHROMIUM": sys.executable}
    checks = by_name(
        await run_checks(
            settings_for(
                database_url, EMBEDDINGS_MODEL=str(tiny_model), EMBEDDINGS_DEVICE="cpu", **found
            )
        )
    )
    assert {c.status for c in checks.values()} == {"ok"}, checks
    assert checks["migrations"].detail.endswith("(current)")
    assert checks["pgvector"].detail.startswith("vector ")
    assert checks["weights"].detail == f"local checkpoint {tiny_model}"
    assert checks["worker"].detail.startswith("separate")  # DATABASE_URL set: no in-process worker


def test_missing_converters_are_warnings_naming_the_packages() -> None:
    missing = settings_for(
        "postgresql+asyncpg://unused/x",
        PALIAPI_SOFFICE="no-such-soffice",
        PALIAPI_CHROMIUM="no-such-chromium",
    )
    checks = by_name(check_converters(missing))
    assert checks["LibreOffice"].status == checks["Chromium"].status == "warn"
    assert "libreoffice-writer-nogui" in checks["LibreOffice"].fix
    assert "Office and RTF files are refused" in checks["LibreOffice"].detail
    assert "apt-get install chromium" in checks["Chromium"].fix


async def test_an_unreachable_embedding_service(database_url: str) -> None:
    bad = settings_for(
        database_url,
        EMBEDDINGS_BACKEND="http",
        EMBEDDINGS_URL=f"http://127.0.0.1:{_free_port()}",
        EMBEDDINGS_ATTEMPTS="1",
    )
    service = by_name(await run_checks(bad))["embedding service"]
    assert service.status == "fail" and "unreachable" in service.detail
    assert "gpu.server" in service.fix


async def test_a_reachable_service_reports_its_model(database_url: str, tiny_model: Path) -> None:
    server = create_app(lambda: Engine(str(tiny_model), EngineOptions(device="cpu")))
    with serve_in_thread(server) as url:
        good = settings_for(database_url, EMBEDDINGS_BACKEND="http", EMBEDDINGS_URL=url)
        service = by_name(await run_checks(good))["embedding service"]
    assert service.status == "ok" and str(tiny_model) in service.detail


def test_a_missing_database_fails_with_a_fix() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "doctor"],
        env={
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": f"postgresql://nobody:secret@127.0.0.1:{_free_port()}/none",
            "EMBEDDINGS_BACKEND": "http",
            "EMBEDDINGS_URL": f"http://127.0.0.1:{_free_port()}",
            "EMBEDDINGS_ATTEMPTS": "1",
            "COLUMNS": "200",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "FAIL" in result.stdout and "Check DATABASE_URL" in result.stdout
    assert "secret" not in result.stdout  # the password is never printed


async def test_an_unreachable_database_in_process() -> None:
    checks = by_name(
        await run_checks(
            settings_for(
                f"postgresql://nobody:secret@127.0.0.1:{_free_port()}/none",
                EMBEDDINGS_BACKEND="http",
                EMBEDDINGS_URL=f"http://127.0.0.1:{_free_port()}",
                EMBEDDINGS_ATTEMPTS="1",
            )
        )
    )
    assert checks["database"].status == "fail" and "secret" not in checks["database"].detail
    assert "Check DATABASE_URL" in checks["database"].fix
    assert "queue" not in checks  # nothing read from a database that is not there


def test_weights_that_are_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.doctor import _weights

    empty = _weights(str(tmp_path))
    assert empty.status == "fail" and "config.json" in empty.detail
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    offline = _weights("paliapi-tests/no-such-model")
    assert offline.status == "fail" and "HF_HUB_OFFLINE" in offline.detail
    monkeypatch.delenv("HF_HUB_OFFLINE")
    online = _weights("paliapi-tests/no-such-model")
    assert online.status == "warn" and "EMBEDDINGS_MODEL" in online.fix
