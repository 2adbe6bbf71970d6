"""Pages from files: PDFs rendered by PyMuPDF, images (multi-frame too) by Pillow.

PyMuPDF is not thread-safe, so rendering runs in worker processes; each call opens the file
itself and renders a range of pages, so a long PDF spreads over the pool. Pages are sized to
what the model uses (no more than `max_pixels`) and stored compressed.
"""

from __future__ import annotations

import asyncio
import io
import math
import multiprocessing
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TypeVar

import pymupdf
from PIL import Image, ImageSequence

from app.errors import ErrorCode, PaliError, bad_input
from app.ingest.sniff import PDF, SUPPORTED_IMAGES, image_type

T = TypeVar("T")


class BadDocument(Exception):
    """The file cannot be turned into pages (encrypted, corrupt, empty, too large)."""


@dataclass(frozen=True)
class RenderOptions:
    dpi: int = 150
    max_pixels: int = 1_000_000  # per page: about what ColQwen2.5 and ColSmol consume
    image_format: str = "webp"  # webp | png | jpeg
    quality: int = 80
    pixel_limit: int = 100_000_000  # larger images are refused (decompression bombs)
    chunk_pages: int = 8  # PDF pages per worker call


@dataclass(frozen=True)
class RenderedPage:
    number: int  # 1-based
    width: int
    height: int
    image: bytes
    mime: str
    text: str | None


def count_pages(path: Path, media_type: str, options: RenderOptions) -> int:
    """Open and check a file; its page count, or BadDocument saying what is wrong."""
    if media_type == PDF:
        with _open_pdf(path) as document:
            return int(document.page_count)
    with _open_image(path, options) as image:
        return int(getattr(image, "n_frames", 1))


def render_pdf_range(
    path: Path, start: int, stop: int, options: RenderOptions
) -> list[RenderedPage]:
    """Pages [start, stop) of a PDF (0-based); runs in a worker process."""
    pages = []
    with _open_pdf(path) as document:
        for index in range(start, stop):
            page = document[index]
            width_pt, height_pt = page.rect.width, page.rect.height
            scale = min(
                options.dpi / 72, math.sqrt(options.max_pixels / max(width_pt * height_pt, 1.0))
            )
            while math.ceil(width_pt * scale) * math.ceil(height_pt * scale) > options.max_pixels:
                scale *= 0.995  # the pixmap rounds its size up
            pixmap = page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False)
            image = Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)
            text = page.get_text("text").strip() or None
            pages.append(_page(index + 1, image, text, options))
    return pages


def render_image(path: Path, options: RenderOptions) -> list[RenderedPage]:
    """Every frame of an image file as a page; runs in a worker process."""
    with _open_image(path, options) as image:
        return [
            _page(number, _fit(frame.convert("RGB"), options.max_pixels), None, options)
            for number, frame in enumerate(ImageSequence.Iterator(image), start=1)
        ]


def render_query_image(data: bytes, options: RenderOptions) -> bytes:
    """An image query prepared as page images are (first frame, fitted, compressed)."""
    with _open_image(io.BytesIO(data), options) as image:
        return _page(1, _fit(image.convert("RGB"), options.max_pixels), None, options).image


def _page(
    number: int, image: Image.Image, text: str | None, options: RenderOptions
) -> RenderedPage:
    buffer = io.BytesIO()
    fmt = options.image_format.lower()
    if fmt == "png":
        image.save(buffer, format="PNG", compress_level=1)
    elif fmt == "webp":
        # method 2: 35% smaller than JPEG at q80 on text pages, ~30 ms a page (bench/ingest.py).
        image.save(buffer, format="WEBP", quality=options.quality, method=2)
    else:
        image.save(buffer, format="JPEG", quality=options.quality)
    return RenderedPage(number, image.width, image.height, buffer.getvalue(), f"image/{fmt}", text)


def _fit(image: Image.Image, max_pixels: int) -> Image.Image:
    pixels = image.width * image.height
    if pixels <= max_pixels:
        return image
    scale = math.sqrt(max_pixels / pixels)
    return image.resize(
        (max(1, int(image.width * scale)), max(1, int(image.height * scale))),
        Image.Resampling.LANCZOS,
    )


_PDF_TAIL_BYTES = 2048  # writers may append a little junk after the final %%EOF


class _PdfHandle:
    def __init__(self, document: pymupdf.Document) -> None:
        self.document = document

    def __enter__(self) -> pymupdf.Document:
        return self.document

    def __exit__(self, *exc: object) -> None:
        self.document.close()


def _open_pdf(path: Path) -> _PdfHandle:
    # MuPDF silently repairs a cut-off file and renders what survived: refuse it instead,
    # so that a partial download never becomes a document with missing pages.
    with path.open("rb") as file:
        file.seek(max(0, path.stat().st_size - _PDF_TAIL_BYTES))
        if b"%%EOF" not in file.read():
            raise BadDocument(
                "The PDF is corrupt or truncated (it does not end with %%EOF); "
                "upload the complete file."
            )
    try:
        document = pymupdf.open(path, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises several types for damaged files
        raise BadDocument(f"The PDF is corrupt or truncated and cannot be opened ({exc}).") from exc
    if document.needs_pass:
        document.close()
        raise BadDocument("The PDF is password-protected; upload an unencrypted copy.")
    if document.page_count == 0:
        document.close()
        raise BadDocument("The PDF has no pages.")
    return _PdfHandle(document)


def _open_image(path: Path | IO[bytes], options: RenderOptions) -> Image.Image:
    image: Image.Image | None = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
            if image.width * image.height > options.pixel_limit:
                raise BadDocument(
                    f"The image is {image.width}x{image.height} pixels; the limit is "
                    f"{options.pixel_limit:,} pixels."
                )
            image.load()
            return image
    except BadDocument:
        if image is not None:
            image.close()
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        if image is not None:
            image.close()
        raise BadDocument(f"The image is too large to decode safely ({exc}).") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        if image is not None:
            image.close()
        raise BadDocument(f"The image is corrupt or truncated ({exc}).") from exc


class Renderer:
    """A pool of rendering processes shared by all ingestions in this process."""

    def __init__(self, options: RenderOptions, workers: int) -> None:
        self.options = options
        self.workers = workers
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn: PyMuPDF and a running event loop do not survive fork safely.
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))

    async def _run(self, *calls: tuple[Callable[..., T], tuple[object, ...]]) -> list[T]:
        loop = asyncio.get_running_loop()
        pool = self._pool
        try:
            return list(
                await asyncio.gather(*(loop.run_in_executor(pool, fn, *args) for fn, args in calls))
            )
        except BrokenProcessPool as exc:
            # A file that crashes the renderer must not take later documents down with it.
            if self._pool is pool:
                self._pool = self._new_pool()
            raise BadDocument("The file crashed the renderer; it is probably malformed.") from exc

    async def count_pages(self, path: Path, media_type: str) -> int:
        (count,) = await self._run((count_pages, (path, media_type, self.options)))
        return count

    async def render(self, path: Path, media_type: str, page_count: int) -> list[RenderedPage]:
        if media_type != PDF:
            (pages,) = await self._run((render_image, (path, self.options)))
            return pages
        chunks = await self._run(
            *(
                (render_pdf_range, (path, start, stop, self.options))
                for start, stop in _ranges(page_count, self.options.chunk_pages)
            )
        )
        return [page for chunk in chunks for page in chunk]

    async def query_image(self, data: bytes) -> bytes:
        """A query image, checked (type, pixel limit) and prepared like a page image."""
        if not data:
            raise bad_input("The query image is empty.")
        if image_type(data) is None:
            raise PaliError(
                ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                f"An image query must be a {SUPPORTED_IMAGES} image.",
            )
        try:
            (image,) = await self._run((render_query_image, (data, self.options)))
        except BadDocument as exc:
            raise bad_input(f"The query image cannot be used: {exc}") from exc
        return image

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _ranges(count: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, count, size):
        yield start, min(start + size, count)
