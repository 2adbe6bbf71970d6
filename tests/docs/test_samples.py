"""Every fenced code sample in docs/ runs against a live server, so none can rot.

Samples read `PALIAPI_URL` and `PALIAPI_TOKEN`; each runs as a fresh user in a scratch
directory holding `report.pdf` and `chart.png`. `REPORT_URL` is the address of that
`report.pdf` over HTTP (served from loopback, which the server may fetch during this test),
for the samples that upload by URL. Blocks tagged anything but bash, python or typescript
(`text`, `console`, `graphql`, `json`, ...) are not programs and are not run.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from app.settings import settings
from tests.conftest import make_user
from tests.files import image, pdf

ROOT = Path(__file__).resolve().parents[2]
TYPESCRIPT = ROOT / "sdk" / "typescript"
FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>\w+)\n(?P<body>.*?)^(?P=indent)```", re.S | re.M)
RUNNABLE = {"bash", "python", "typescript"}


def samples() -> list[tuple[str, str, str]]:
    found = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for index, match in enumerate(FENCE.finditer(page.read_text())):
            if match["lang"] in RUNNABLE:
                indent = len(match["indent"])
                body = "\n".join(line[indent:] for line in match["body"].splitlines())
                found.append((f"{page.relative_to(ROOT)}#{index}", match["lang"], body))
    return found


def test_docs_have_samples_in_every_language() -> None:
    assert {lang for _, lang, _ in samples()} == RUNNABLE


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def files_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The scratch directory over HTTP on loopback, and the server allowed to fetch from it."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(settings, "allow_private_urls", True)
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.mark.parametrize(("where", "lang", "code"), samples(), ids=[s[0] for s in samples()])
async def test_sample_runs(
    where: str, lang: str, code: str, server: str, db: object, tmp_path: Path, files_url: str
) -> None:
    _, token = await make_user(db, f"docs-{abs(hash(where))}")  # type: ignore[arg-type]
    (tmp_path / "report.pdf").write_bytes(pdf(pages=2, title="Quarterly revenue"))
    (tmp_path / "chart.png").write_bytes(image("PNG"))
    env = {
        **os.environ,
        "PALIAPI_URL": server,
        "PALIAPI_TOKEN": token,
        "REPORT_URL": f"{files_url}/report.pdf",
        "PYTHONPATH": str(ROOT / "sdk" / "python"),
    }
    if lang == "bash":
        command = ["bash", "-euo", "pipefail", "-c", code]
    elif lang == "python":
        command = [sys.executable, "-c", code]
    else:
        if not (TYPESCRIPT / "node_modules" / ".bin" / "tsx").exists():
            pytest.skip("TypeScript samples need `npm ci` in sdk/typescript")
        if not (TYPESCRIPT / "dist" / "index.js").exists():
            subprocess.run(["npm", "run", "build"], cwd=TYPESCRIPT, check=True)
        # Inside the package, `@paliapi/client` resolves to itself (a self-reference).
        script = TYPESCRIPT / "test" / f".sample-{os.getpid()}.mts"
        script.write_text(code)
        env["SAMPLE"] = str(script)
        command = [str(TYPESCRIPT / "node_modules" / ".bin" / "tsx"), str(script)]
    try:
        result = subprocess.run(
            command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
        )
    finally:
        if lang == "typescript":
            script.unlink(missing_ok=True)
    assert result.returncode == 0, f"{where} failed:\n{result.stdout}\n{result.stderr}"
    assert "error" not in result.stdout.lower(), f"{where} printed an error:\n{result.stdout}"
