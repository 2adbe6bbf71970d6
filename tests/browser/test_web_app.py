"""The web app in headless Chromium against a live server: same origin, then cross-origin.

Each run signs in, creates a collection, uploads a real PDF through the file input and sees
it reach READY over the subscription, searches, sees the signed thumbnails load, opens a
result and sees the heatmap drawn, and runs `{ me { name } }` in GraphiQL opened from the app.
Screenshots: test-artifacts/browser/<label>-*.png.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from app.db.engine import Database
from tests.browser.conftest import ARTIFACTS, WEB, Stack
from tests.conftest import make_user
from tests.files import pdf

FLOW_TIMEOUT_S = 240


async def _run_flow(
    stack: Stack,
    db: Database,
    tmp_path: Path,
    chromium: str,
    *,
    label: str,
    app_url: str,
    width: int,
) -> str:
    _, token = await make_user(db, f"browser-{label}")
    document = tmp_path / "quarterly-report.pdf"
    document.write_bytes(pdf(2, title="Quarterly report"))
    env = {
        **os.environ,
        "APP_URL": app_url,
        "API_URL": stack.api,
        "TOKEN": token,
        "PDF": str(document),
        "LABEL": label,
        "ARTIFACTS": str(ARTIFACTS),
        "CHROMIUM": chromium,
        "VIEWPORT_WIDTH": str(width),
    }
    result = subprocess.run(
        ["node", "e2e/flow.mjs"],
        cwd=WEB,
        env=env,
        capture_output=True,
        text=True,
        timeout=FLOW_TIMEOUT_S,
        check=False,
    )
    print(result.stdout)  # the steps, for the test log
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


async def test_same_origin_at_phone_width(
    stack: Stack, db: Database, tmp_path: Path, browser_ready: str
) -> None:
    out = await _run_flow(
        stack, db, tmp_path, browser_ready, label="same-origin", app_url=stack.api, width=390
    )
    assert '"step":"done"' in out
    assert (ARTIFACTS / "same-origin-page-heatmap.png").is_file()


async def test_cross_origin(stack: Stack, db: Database, tmp_path: Path, browser_ready: str) -> None:
    out = await _run_flow(
        stack, db, tmp_path, browser_ready, label="cross-origin", app_url=stack.app, width=1280
    )
    assert '"step":"done"' in out
    assert (ARTIFACTS / "cross-origin-results.png").is_file()
