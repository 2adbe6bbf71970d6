"""Office and text documents through `uploadDocument`, as a client sends them: a Word file
becomes its pages; a ZIP bomb, a converter past its timeout and a server without LibreOffice
each end with a clear message and leave nothing behind."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from app.db.engine import Database
from app.ingest import formats
from app.ingest.render import Renderer
from tests.conftest import Api
from tests.documents import bomb_docx, leftovers, samples, soffice
from tests.resolvers.test_collections import create
from tests.resolvers.test_uploads import UPLOAD, counts, upload_file


@pytest.fixture
def renderer(server_app: Starlette) -> Iterator[Renderer]:
    """The server's renderer (shared by its API and in-process worker); options restored."""
    soffice()
    shared: Renderer = server_app.state.renderer
    options = shared.options
    yield shared
    shared.options = options


def convert_with(renderer: Renderer, **changes: Any) -> None:
    renderer.options = replace(
        renderer.options, convert=replace(renderer.options.convert, **changes)
    )


async def test_word_document_becomes_its_pages(alice: Api, renderer: Renderer) -> None:
    create(alice, "docs")
    data = samples()["docx"].path.read_bytes()
    document = upload_file(alice, "report.docx", data)["data"]["uploadDocument"]
    assert document["status"] == "READY", document["error"]
    assert (document["pageCount"], document["mimeType"]) == (3, formats.DOCX)
    texts = [edge["node"]["text"] for edge in document["pages"]["edges"]]
    assert "Quarterly report" in texts[0] and "costs fell" in texts[1]
    assert leftovers() == ([], [])


def test_markdown_by_base64(alice: Api, renderer: Renderer) -> None:
    create(alice, "docs")
    text = samples()["md"].path.read_bytes()
    document = alice.data(
        UPLOAD, {"name": "guide.md", "base64": base64.b64encode(text).decode(), "wait": True}
    )["uploadDocument"]
    assert (document["status"], document["mimeType"]) == ("READY", "text/markdown")
    assert "Install guide" in document["pages"]["edges"][0]["node"]["text"]


async def test_zip_bomb_is_refused_at_upload(
    alice: Api, db: Database, renderer: Renderer, tmp_path: Path
) -> None:
    create(alice, "docs")
    convert_with(renderer, max_unzipped_mb=64)
    bomb = bomb_docx(samples()["docx"].path, tmp_path / "bomb.docx", inflated_mb=100)
    before = await counts(db)
    started = time.perf_counter()
    error = upload_file(alice, "bomb.docx", bomb.read_bytes())["errors"][0]
    assert time.perf_counter() - started < 5
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "more than 64 MiB when unzipped" in error["message"]
    assert "ZIP bomb" in error["message"]
    assert await counts(db) == before


async def test_a_conversion_past_its_timeout_fails_the_document(
    alice: Api, renderer: Renderer
) -> None:
    create(alice, "docs")
    convert_with(renderer, timeout_s=0.2)  # a fraction of what LibreOffice takes to start
    started = time.perf_counter()
    document = upload_file(alice, "slow.docx", samples()["docx"].path.read_bytes())["data"][
        "uploadDocument"
    ]
    assert time.perf_counter() - started < 10
    assert (document["status"], document["pageCount"]) == ("FAILED", 0)
    assert "longer than 0.2 s (PALIAPI_CONVERT_TIMEOUT_S)" in document["error"]
    assert leftovers() == ([], [])


async def test_without_libreoffice_the_type_is_unsupported(
    alice: Api, db: Database, renderer: Renderer
) -> None:
    create(alice, "docs")
    convert_with(renderer, soffice="/nonexistent/soffice")
    before = await counts(db)
    error = upload_file(alice, "deck.pptx", samples()["pptx"].path.read_bytes())["errors"][0]
    assert error["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert "PowerPoint files are converted to PDF with LibreOffice" in error["message"]
    assert "apt-get install libreoffice-writer-nogui" in error["message"]
    assert await counts(db) == before
