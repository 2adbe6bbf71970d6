"""A live `paliapi serve` for the browser tests, and the web build served from a second origin.

The API runs the tiny model with its in-process worker, with PALIAPI_CORS_ORIGINS naming the
second origin: a static server of web/dist on another port, as a separately deployed frontend
would be. Needs `make web` (web/dist, web/node_modules) and Chromium (`make chromium`); without
them the tests skip, unless PALIAPI_REQUIRE_BROWSER=1 (as `make test` sets) makes that a
failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.staticfiles import StaticFiles

from app.main import create_app
from app.settings import settings
from tests.conftest import serve_in_thread

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
ARTIFACTS = ROOT / "test-artifacts" / "browser"


def chromium() -> str | None:
    return (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


def _missing() -> list[str]:
    missing = []
    if chromium() is None:
        missing.append("Chromium (`make chromium`, or apt-get install chromium)")
    if not (WEB / "dist" / "index.html").is_file():
        missing.append("the web build (`make web`)")
    if not (WEB / "node_modules" / "playwright-core").is_dir():
        missing.append("web/node_modules (`make web`)")
    if shutil.which("node") is None:
        missing.append("Node 20")
    return missing


@pytest.fixture(scope="session")
def browser_ready() -> str:
    missing = _missing()
    if missing:
        reason = "browser tests need " + ", ".join(missing)
        if os.environ.get("PALIAPI_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    found = chromium()
    assert found is not None
    return found


@dataclass(frozen=True)
class Stack:
    api: str  # the API, which also serves the web app at `/`
    app: str  # the same web build on a second origin


@pytest.fixture(scope="module")
def stack(browser_ready: str, database_url: str, tiny_model: Path) -> Iterator[Stack]:
    static = Starlette()
    static.mount("/", StaticFiles(directory=WEB / "dist", html=True))
    with contextlib.ExitStack() as running:
        app_url = running.enter_context(serve_in_thread(static))
        # Read while the API is built and started; restored before any other test runs.
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(settings, "embeddings_model", str(tiny_model))
            patch.setattr(settings, "embeddings_device", "cpu")
            patch.setattr(settings, "cors_origins", (app_url,))
            patch.setattr(settings, "web_dir", WEB / "dist")
            api_url = running.enter_context(serve_in_thread(create_app(database_url, worker=True)))
        yield Stack(api=api_url, app=app_url)
