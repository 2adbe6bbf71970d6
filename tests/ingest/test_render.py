"""Rendering real files: page counts, sizes, text, formats, and every way a file can be bad."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from PIL import Image

from app.ingest.render import (
    BadDocument,
    Renderer,
    RenderOptions,
    count_pages,
    render_image,
    render_pdf_range,
)
from tests import files

OPTIONS = RenderOptions(max_pixels=400_000)


def write(tmp_path: Path, data: bytes, name: str = "f") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_pdf_pages_have_text_and_fit_the_pixel_budget(tmp_path: Path) -> None:
    path = write(tmp_path, files.pdf(3, title="Budget"))
    assert count_pages(path, "application/pdf", OPTIONS) == 3
    pages = render_pdf_range(path, 0, 3, OPTIONS)
    assert [p.number for p in pages] == [1, 2, 3]
    for page in pages:
        assert page.width * page.height <= OPTIONS.max_pixels
        assert page.mime == "image/webp"
        assert page.text is not None and f"Budget page {page.number}" in page.text
        with Image.open(__import__("io").BytesIO(page.image)) as decoded:
            assert decoded.size == (page.width, page.height)
    # A4 keeps its aspect ratio.
    assert abs(pages[0].height / pages[0].width - 842 / 595) < 0.01


@pytest.mark.parametrize("fmt", ["png", "jpeg", "webp"])
def test_image_formats(tmp_path: Path, fmt: str) -> None:
    path = write(tmp_path, files.pdf(1))
    (page,) = render_pdf_range(path, 0, 1, RenderOptions(max_pixels=100_000, image_format=fmt))
    assert page.mime == f"image/{fmt}"
    with Image.open(__import__("io").BytesIO(page.image)) as decoded:
        assert decoded.format == fmt.upper()


def test_multi_frame_tiff_is_one_page_per_frame(tmp_path: Path) -> None:
    path = write(tmp_path, files.image("TIFF", frames=3))
    assert count_pages(path, "image/tiff", OPTIONS) == 3
    pages = render_image(path, OPTIONS)
    assert [p.number for p in pages] == [1, 2, 3]
    assert all(p.text is None for p in pages)


def test_large_images_are_scaled_down(tmp_path: Path) -> None:
    path = write(tmp_path, files.image("PNG", size=(2000, 1500)))
    (page,) = render_image(path, OPTIONS)
    assert page.width * page.height <= OPTIONS.max_pixels
    assert abs(page.width / page.height - 2000 / 1500) < 0.01


@pytest.mark.parametrize(
    ("data", "media_type", "message"),
    [
        (files.pdf(2, password="secret"), "application/pdf", "password-protected"),
        (files.pdf(4)[:300], "application/pdf", "corrupt or truncated"),
        (files.pdf(3)[:-700], "application/pdf", "does not end with %%EOF"),
        (b"%PDF-1.7\n%%EOF\n", "application/pdf", "corrupt or truncated"),
        (files.image("PNG")[:60], "image/png", "corrupt or truncated"),
        (files.bomb(), "image/png", "too large to decode|the limit is"),
    ],
)
def test_bad_files_say_what_is_wrong(
    tmp_path: Path, data: bytes, media_type: str, message: str
) -> None:
    with pytest.raises(BadDocument, match=message):
        count_pages(write(tmp_path, data), media_type, OPTIONS)


def test_a_pdf_without_pages_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    document = pymupdf.open()
    document.new_page()
    data = document.tobytes()
    document.close()
    path.write_bytes(data)
    assert count_pages(path, "application/pdf", OPTIONS) == 1  # one blank page is fine


@pytest.fixture(scope="module")
def renderer() -> Iterator[Renderer]:
    pool = Renderer(OPTIONS, workers=2)
    yield pool
    pool.close()


def test_the_process_pool_renders_long_pdfs_in_order(tmp_path: Path, renderer: Renderer) -> None:
    path = write(tmp_path, files.pdf(20))

    async def go() -> list[int]:
        count = await renderer.count_pages(path, "application/pdf")
        return [p.number for p in await renderer.render(path, "application/pdf", count)]

    assert asyncio.run(go()) == list(range(1, 21))


def test_bad_files_through_the_pool(tmp_path: Path, renderer: Renderer) -> None:
    path = write(tmp_path, files.pdf(2, password="x"))
    with pytest.raises(BadDocument, match="password"):
        asyncio.run(renderer.count_pages(path, "application/pdf"))
