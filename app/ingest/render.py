"""Pages from files: PDFs rendered by PyMuPDF, images (multi-frame too) by Pillow.

Other documents become a PDF first (`Renderer.converted`): Office files through LibreOffice
(app/ingest/convert.py), e-books, XPS, comics, SVG and text through PyMuPDF itself; then
they take the PDF path, so the pages stored are the converted PDF's pages. Web pages (HTML)
are laid out by headless Chromium (app/ingest/web_page.py); their screenshots are encoded here.

PyMuPDF is not thread-safe, so rendering runs in worker processes; each call opens the file
itself and renders a range of pages, so a long PDF spreads over the pool. Pages are sized to
what the model uses (no more than `max_pixels`) and stored compressed.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import math
import multiprocessing
import tempfile
import warnings
import zipfile
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TypeVar

import pymupdf
from PIL import Image, ImageSequence

from app.errors import ErrorCode, PaliError, bad_input
from app.ingest.convert import (
    A4,
    ConvertOptions,
    kind,
    libreoffice_to_pdf,
    markdown_pdf,
    require_libreoffice,
)
from app.ingest.errors import BadDocument as BadDocument  # where callers import it from
from app.ingest.fetch import UrlPolicy
from app.ingest.formats import (
    CBZ,
    COMIC_IMAGES,
    EPUB,
    FB2,
    HTML,
    LIBREOFFICE_TYPES,
    MARKDOWN,
    PYMUPDF_TYPES,
    REFLOWABLE,
    SVG,
    TEXT,
    XPS,
    ZIP_TYPES,
    check_zip,
)
from app.ingest.sizing import fit_scale
from app.ingest.sniff import PDF, SUPPORTED_IMAGES, image_type
from app.ingest.web_page import Browser, WebPageOptions, require_chromium

T = TypeVar("T")


PYMUPDF_FILETYPES = {EPUB: "epub", XPS: "xps", CBZ: "cbz", FB2: "fb2", SVG: "svg", TEXT: "txt"}
REFLOW_FONT_SIZE = 11


@dataclass(frozen=True)
class RenderOptions:
    dpi: int = 150
    max_pixels: int = 1_000_000  # per page: about what ColQwen2.5 and ColSmol consume
    image_format: str = "webp"  # webp | png | jpeg
    quality: int = 80
    pixel_limit: int = 100_000_000  # larger images are refused (decompression bombs)
    chunk_pages: int = 8  # PDF pages per worker call
    convert: ConvertOptions = field(default_factory=ConvertOptions)  # converted documents
    web: WebPageOptions = field(default_factory=WebPageOptions)  # web pages (HTML)


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
    if media_type == PDF or media_type in PYMUPDF_TYPES:
        with _open_document(path, media_type, options) as document:
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
            scale = fit_scale(width_pt, height_pt, options.max_pixels, cap=options.dpi / 72)
            pixmap = page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False)
            image = Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)
            text = page.get_text("text").strip() or None
            pages.append(_page(index + 1, image, text, options))
    return pages


def to_pdf(path: Path, media_type: str, out: Path, options: RenderOptions) -> None:
    """A document PyMuPDF opens (EPUB, XPS, CBZ, FB2, SVG, text) written out as a PDF."""
    with _open_document(path, media_type, options) as document:
        data = document.convert_to_pdf()
    out.write_bytes(data)


def render_image(path: Path, options: RenderOptions) -> list[RenderedPage]:
    """Every frame of an image file as a page; runs in a worker process."""
    with _open_image(path, options) as image:
        return [
            _page(number, _fit(frame.convert("RGB"), options.max_pixels), None, options)
            for number, frame in enumerate(ImageSequence.Iterator(image), start=1)
        ]


def render_screenshots(
    images: list[bytes], texts: list[str | None], first: int, options: RenderOptions
) -> list[RenderedPage]:
    """A web page's slices (PNG screenshots, app/ingest/web_page.py) as pages numbered from
    `first`; runs in a worker process."""
    pages = []
    for number, (data, text) in enumerate(zip(images, texts, strict=True), start=first):
        with _open_image(io.BytesIO(data), options) as image:
            fitted = _fit(image.convert("RGB"), options.max_pixels)
        pages.append(_page(number, fitted, text, options))
    return pages


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


def _open_document(path: Path, media_type: str, options: RenderOptions) -> _PdfHandle:
    """A PDF, or a document PyMuPDF reads itself, open; reflowable ones laid out on A4."""
    if media_type == PDF:
        return _open_pdf(path)
    what = kind(media_type)
    if media_type in ZIP_TYPES:
        try:
            check_zip(path, options.convert.max_unzipped_bytes)
        except ValueError as exc:
            raise BadDocument(str(exc)) from exc
    if media_type == CBZ:
        _check_comic(path, options)
    try:
        if media_type == MARKDOWN:
            document = pymupdf.open("pdf", markdown_pdf(path.read_text("utf-8-sig")))
        else:
            document = pymupdf.open(path, filetype=PYMUPDF_FILETYPES[media_type])
            if media_type in REFLOWABLE:
                document.layout(width=A4.width, height=A4.height, fontsize=REFLOW_FONT_SIZE)
    except Exception as exc:  # PyMuPDF raises several types for damaged files
        raise BadDocument(f"The {what} file is corrupt and cannot be opened ({exc}).") from exc
    if document.needs_pass:
        document.close()
        raise BadDocument(f"The {what} file is password-protected; upload an unencrypted copy.")
    if document.page_count == 0:
        document.close()
        raise BadDocument(f"The {what} file has no pages.")
    return _PdfHandle(document)


def _check_comic(path: Path, options: RenderOptions) -> None:
    """Every picture of a comic book archive within the pixel limit (read from its header)."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.lower().endswith(COMIC_IMAGES):
                continue
            with archive.open(name) as member, _open_image_header(member, name) as picture:
                if picture.width * picture.height > options.pixel_limit:
                    raise BadDocument(
                        f"The picture {name!r} is {picture.width}x{picture.height} pixels; the "
                        f"limit is {options.pixel_limit:,} pixels."
                    )


def _open_image_header(member: IO[bytes], name: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(member)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise BadDocument(f"The picture {name!r} is corrupt ({exc}).") from exc


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
        # LibreOffice conversions at once (each a process of its own, outside the pool).
        self._converting = asyncio.Semaphore(workers)
        # Web pages: one headless Chromium, `workers` pages at once (each a fresh context).
        self.browser = Browser(options.web, options.max_pixels, concurrency=workers)

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

    async def check(self, path: Path, media_type: str) -> None:
        """Whether a file can become pages, cheaply (an upload is checked before it is stored):
        BadDocument saying what is wrong, or PaliError where this server cannot read the type.
        A file LibreOffice converts is only checked for its container here; the conversion
        itself waits for the worker."""
        if media_type in LIBREOFFICE_TYPES:
            require_libreoffice(self.options.convert, media_type)
            await self._check_container(path, media_type)
            return
        if media_type == HTML:
            require_chromium(self.options.web)  # the page itself loads in the worker
            return
        if media_type not in (PDF, *PYMUPDF_TYPES) and not media_type.startswith("image/"):
            raise PaliError(
                ErrorCode.UNSUPPORTED_MEDIA_TYPE, f"There is no renderer for {media_type} files."
            )
        await self.count_pages(path, media_type)

    async def _check_container(self, path: Path, media_type: str) -> None:
        if media_type in ZIP_TYPES:
            try:
                await self._run((check_zip, (path, self.options.convert.max_unzipped_bytes)))
            except ValueError as exc:
                raise BadDocument(str(exc)) from exc

    @contextlib.asynccontextmanager
    async def converted(self, path: Path, media_type: str) -> AsyncIterator[tuple[Path, str]]:
        """The file as pages are rendered from, and its type: a PDF or an image as it is, any
        other document converted to a PDF (deleted when the block ends)."""
        if media_type not in LIBREOFFICE_TYPES and media_type not in PYMUPDF_TYPES:
            yield path, media_type
            return
        with tempfile.TemporaryDirectory(prefix="paliapi-convert-") as scratch:
            workdir = Path(scratch)
            if media_type in LIBREOFFICE_TYPES:
                await self._check_container(path, media_type)
                async with self._converting:
                    pdf = await libreoffice_to_pdf(path, media_type, workdir, self.options.convert)
            else:
                pdf = workdir / "converted.pdf"
                await self._run((to_pdf, (path, media_type, pdf, self.options)))
            yield pdf, PDF

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

    async def render_web_page(
        self, path: Path, url: str | None, policy: UrlPolicy
    ) -> list[RenderedPage]:
        """A web page (HTML) laid out by Chromium as it is at `url` (None: an uploaded file,
        offline), its resources fetched under `policy`; the slices encoded in the pool."""
        html = await asyncio.to_thread(path.read_bytes)
        capture = await self.browser.capture(html, url, policy)
        images, texts, options = capture.images, capture.texts, self.options
        chunks = await self._run(
            *(
                (render_screenshots, (images[start:stop], texts[start:stop], start + 1, options))
                for start, stop in _ranges(len(images), options.chunk_pages)
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

    async def close_browser(self) -> None:
        """Stop the web pages' Chromium, if one was started."""
        await self.browser.close()


def _ranges(count: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, count, size):
        yield start, min(start + size, count)
