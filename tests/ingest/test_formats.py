"""Every document format, with a real file, from its bytes to its pages; and hostile files.

The pages rendered must be the converter's pages: LibreOffice's PDF export for Office files
(also known by construction: page breaks, sheets, slides), PyMuPDF's own page count for what
it opens itself. The table of what was measured goes to test-artifacts/formats.md.
"""

from __future__ import annotations

import asyncio
import io
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pymupdf
import pytest

from app.errors import ErrorCode, PaliError
from app.ingest import formats
from app.ingest.convert import A4, ConvertOptions, libreoffice_to_pdf, network_isolation
from app.ingest.render import BadDocument, RenderedPage, Renderer, RenderOptions, count_pages
from app.ingest.sniff import sniff
from tests import files
from tests.documents import Sample, bomb_docx, leftovers, samples

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "test-artifacts" / "formats.md"
FORMATS = [
    "docx", "doc", "xlsx", "xls", "pptx", "ppt", "odt", "ods", "odp", "rtf",
    "epub", "xps", "cbz", "fb2", "svg", "txt", "md",
]  # fmt: skip
MEASURED: dict[str, tuple[str, str, int, int, float]] = {}


@pytest.fixture(scope="module")
def renderer() -> Iterator[Renderer]:
    pool = Renderer(RenderOptions(max_pixels=200_000), workers=2)
    yield pool
    pool.close()


@pytest.fixture(scope="module", autouse=True)
def _table() -> Iterator[None]:
    yield
    if MEASURED:
        TABLE.parent.mkdir(exist_ok=True)
        rows = [
            "| format | media type | file made by | converter's pages | pages ingested "
            "| conversion + rendering (2 at a time) |",
            "|---|---|---|---|---|---|",
            *(
                f"| {name} | `{media}` | {made_by} | {expected} | {got} | {seconds:.2f} s |"
                for name, (media, made_by, expected, got, seconds) in MEASURED.items()
            ),
        ]
        TABLE.write_text("\n".join(rows) + "\n", "utf-8")


def head(path: Path) -> bytes:
    with path.open("rb") as file:
        return file.read(1024)


def converters_count(sample: Sample, converted: Path) -> int:
    """The pages the converter itself made: the PDF LibreOffice wrote, or PyMuPDF's layout."""
    if sample.media_type in formats.LIBREOFFICE_TYPES:
        with pymupdf.open(converted) as pdf:
            return int(pdf.page_count)
    if sample.media_type == formats.MARKDOWN:
        with pymupdf.open(converted) as pdf:  # the Story's own output, nothing reflowed after
            return int(pdf.page_count)
    with pymupdf.open(sample.path, filetype=sample.path.suffix.lstrip(".")) as document:
        if document.is_reflowable and sample.media_type != formats.SVG:
            document.layout(width=A4.width, height=A4.height, fontsize=11)
        return int(document.page_count)


@dataclass(frozen=True)
class Ingested:
    media_type: str
    expected: int  # the converter's own page count
    pages: list[RenderedPage]
    seconds: float
    leftover: bool  # the converted PDF still on disk after the block


async def ingest(renderer: Renderer, sample: Sample) -> Ingested:
    """What the worker does with a file: check, convert, count, render."""
    media_type = sniff(head(sample.path), sample.path)
    await renderer.check(sample.path, media_type)
    started = time.perf_counter()
    async with renderer.converted(sample.path, media_type) as (path, kind):
        assert kind == "application/pdf"
        expected = converters_count(sample, path)
        count = await renderer.count_pages(path, kind)
        pages = await renderer.render(path, kind, count)
    seconds = time.perf_counter() - started
    return Ingested(media_type, expected, pages, seconds, path.exists())


@pytest.fixture(scope="module")
async def ingested(renderer: Renderer) -> dict[str, Ingested]:
    """Every format at once: LibreOffice conversions run two at a time, as in a worker."""
    every = samples()
    results = await asyncio.gather(*(ingest(renderer, every[name]) for name in FORMATS))
    return dict(zip(FORMATS, results, strict=True))


@pytest.mark.parametrize("name", FORMATS)
def test_each_format_becomes_the_converters_pages(ingested: dict[str, Ingested], name: str) -> None:
    sample, result = samples()[name], ingested[name]
    assert result.media_type == sample.media_type
    pages = result.pages
    assert len(pages) == result.expected
    if sample.pages is not None:
        assert len(pages) == sample.pages
    assert [page.number for page in pages] == list(range(1, len(pages) + 1))
    assert all(page.width * page.height <= 200_000 for page in pages)
    if sample.marker:
        assert pages[0].text is not None and sample.marker in pages[0].text
    assert not result.leftover  # the converted PDF went with its directory
    MEASURED[name] = (
        result.media_type,
        sample.made_by,
        result.expected,
        len(pages),
        result.seconds,
    )


def test_sniffing_needs_the_bytes_not_the_name(tmp_path: Path) -> None:
    every = samples()
    for name in FORMATS:
        renamed = tmp_path / f"{name}.pdf"
        renamed.write_bytes(every[name].path.read_bytes())
        assert sniff(head(renamed), renamed) == every[name].media_type, name


def test_markdown_is_told_from_plain_text() -> None:
    assert formats.looks_like_markdown("# Title\n\nSee [the docs](https://x.org).\n")
    assert formats.looks_like_markdown("Title\n=====\n\n- one\n- two\n")
    assert not formats.looks_like_markdown("Dear Ann,\n\nthe invoice is attached.\n- Bob\n")
    assert not formats.looks_like_markdown("# a shell comment\necho hello\n")


def test_zip_bomb_is_refused_before_any_conversion(tmp_path: Path) -> None:
    bomb = bomb_docx(samples()["docx"].path, tmp_path / "bomb.docx", inflated_mb=200)
    assert bomb.stat().st_size < 400_000
    assert sniff(head(bomb), bomb) == formats.DOCX  # still a DOCX by its bytes
    started = time.perf_counter()
    with pytest.raises(ValueError, match=r"more than 64 MiB when unzipped .* ZIP bomb"):
        formats.check_zip(bomb, 64 * 1024 * 1024)
    assert time.perf_counter() - started < 1.0  # the declared sizes give it away


def test_a_zip_that_lies_about_its_sizes_fails_its_check(tmp_path: Path) -> None:
    # The last member claims 10 bytes but inflates to 10 MiB: zipfile stops at the claim and
    # the CRC check fails, so the lie never reaches a converter.
    raw = bytearray(bomb_docx(samples()["docx"].path, tmp_path / "b.docx", 10).read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as archive:
        local = archive.getinfo("word/media/image1.bin").header_offset
    central = raw.rfind(b"PK\x01\x02")  # the last member's directory entry
    for offset in (local + 22, central + 24):  # the uncompressed size in each header
        raw[offset : offset + 4] = (10).to_bytes(4, "little")
    liar = tmp_path / "liar.docx"
    liar.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="ZIP container is corrupt"):
        formats.check_zip(liar, 64 * 1024 * 1024)


async def test_worker_side_bomb_fails_fast_and_leaves_nothing(tmp_path: Path) -> None:
    bomb = bomb_docx(samples()["docx"].path, tmp_path / "bomb.docx", inflated_mb=200)
    strict = Renderer(RenderOptions(convert=ConvertOptions(max_unzipped_mb=64)), workers=1)
    try:
        started = time.perf_counter()
        with pytest.raises(BadDocument, match="ZIP bomb"):
            async with strict.converted(bomb, formats.DOCX):
                pass
        assert time.perf_counter() - started < 5.0
    finally:
        strict.close()
    assert leftovers() == ([], [])


async def test_a_conversion_past_its_timeout_is_killed_and_cleaned_up() -> None:
    """A real 12,000-row spreadsheet (about 240 pages) against a 0.2 s limit.

    LibreOffice alone takes most of a second to start with a fresh profile, and the sheet
    takes 1.5-2 s end to end, so the limit stops it mid-way on any machine; a limit near
    the conversion's own time would make the test depend on the machine's speed.
    """
    big = samples()["big-xlsx"]
    assert sniff(head(big.path), big.path) == formats.XLSX
    options = ConvertOptions(timeout_s=0.2)
    with tempfile.TemporaryDirectory(prefix="paliapi-convert-") as scratch:
        started = time.perf_counter()
        with pytest.raises(BadDocument, match=r"longer than 0\.2 s .*PALIAPI_CONVERT_TIMEOUT_S"):
            await libreoffice_to_pdf(big.path, formats.XLSX, Path(scratch), options)
        elapsed = time.perf_counter() - started
        assert elapsed < 1.0  # killed at once, not waited for (the whole sheet takes 1.5-2 s)
        await asyncio.sleep(0.2)  # let the kernel finish the kill
        assert leftovers()[1] == []  # no LibreOffice process survives the timeout
    assert leftovers() == ([], [])


async def test_missing_libreoffice_names_the_packages(renderer: Renderer) -> None:
    sample = samples()["docx"]
    missing = replace(renderer.options, convert=ConvertOptions(soffice="/nonexistent/soffice"))
    nowhere = Renderer(missing, workers=1)
    try:
        with pytest.raises(PaliError) as info:
            await nowhere.check(sample.path, formats.DOCX)
    finally:
        nowhere.close()
    assert info.value.code is ErrorCode.UNSUPPORTED_MEDIA_TYPE
    assert "Word files are converted to PDF with LibreOffice" in info.value.message
    assert "apt-get install libreoffice-writer-nogui" in info.value.message


async def test_a_damaged_office_file_fails_with_libreoffice_saying_so(
    renderer: Renderer, tmp_path: Path
) -> None:
    # A valid ZIP with DOCX's names but garbage for the document itself.
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", "not xml at all")
        archive.writestr("word/document.xml", "\x00\x01 garbage")
    assert sniff(head(broken), broken) == formats.DOCX
    with pytest.raises(BadDocument, match="LibreOffice could not convert the Word file"):
        async with renderer.converted(broken, formats.DOCX):
            pass
    assert leftovers() == ([], [])


def test_network_isolation_degrades_to_nothing_where_unavailable() -> None:
    prefix = network_isolation()
    assert prefix == () or prefix[-1] == "--"


def test_network_isolation_is_skipped_where_unshare_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    network_isolation.cache_clear()
    monkeypatch.setenv("PATH", str(tmp_path))
    try:
        assert network_isolation() == ()
    finally:
        network_isolation.cache_clear()


def renamed_stream(data: bytes, old: str, new: str) -> bytes:
    """An OLE2 file with one directory entry renamed (a real file, one name changed)."""
    raw = bytearray(data)
    position = raw.find(old.encode("utf-16-le") + b"\0\0")
    while position % 128:  # directory entries are 128-byte aligned
        position = raw.find(old.encode("utf-16-le") + b"\0\0", position + 1)
    name = new.encode("utf-16-le") + b"\0\0"
    raw[position : position + 64] = name.ljust(64, b"\0")
    raw[position + 64 : position + 66] = len(name).to_bytes(2, "little")
    return bytes(raw)


def test_ole2_files_that_are_not_documents(tmp_path: Path) -> None:
    doc = samples()["doc"].path.read_bytes()
    cases = [
        (renamed_stream(doc, "WordDocument", "Contents"), ErrorCode.UNSUPPORTED_MEDIA_TYPE,
         "not a Word, Excel or PowerPoint document"),
        (renamed_stream(doc, "WordDocument", "EncryptedPackage"), ErrorCode.BAD_USER_INPUT,
         "password-protected"),
        (doc[:1536], ErrorCode.BAD_USER_INPUT, "OLE2 compound file"),
        (doc[:512] + bytes(2048), ErrorCode.BAD_USER_INPUT, "OLE2 compound file"),
    ]  # fmt: skip
    for number, (data, code, message) in enumerate(cases):
        path = tmp_path / f"case-{number}"
        path.write_bytes(data)
        with pytest.raises(PaliError) as info:
            sniff(head(path), path)
        assert info.value.code is code and message in info.value.message, number


def zipped(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_zip_archives_that_are_not_documents(tmp_path: Path) -> None:
    odd = zipped(tmp_path / "odd.zip", {"mimetype": b"application/x-something-else"})
    with pytest.raises(PaliError, match="not a DOCX, XLSX, PPTX, OpenDocument, EPUB, XPS or CBZ"):
        sniff(head(odd), odd)
    many = zipped(tmp_path / "many.zip", {f"{n}.png": b"" for n in range(20_001)})
    with pytest.raises(ValueError, match="holds 20,001 files; the limit is 20,000"):
        formats.check_zip(many, 1 << 30)


def test_damaged_ebooks_and_comics_are_bad_documents(tmp_path: Path) -> None:
    options = RenderOptions(pixel_limit=1_000_000, convert=ConvertOptions(max_unzipped_mb=64))
    epub = samples()["epub"].path
    cases = [
        (bomb_docx(epub, tmp_path / "bomb.epub", 100), formats.EPUB, "ZIP bomb"),
        (zipped(tmp_path / "empty.epub", {"mimetype": formats.EPUB.encode()}), formats.EPUB,
         "The EPUB file is corrupt and cannot be opened"),
        (zipped(tmp_path / "big.cbz", {"ComicInfo.xml": b"<x/>", "1.png": files.bomb()}),
         formats.CBZ, "is 12000x12000 pixels; the limit is 1,000,000"),
        (zipped(tmp_path / "bad.cbz", {"1.png": b"not a picture"}), formats.CBZ,
         "The picture '1.png' is corrupt"),
    ]  # fmt: skip
    for path, media_type, message in cases:
        assert sniff(head(path), path) == media_type
        with pytest.raises(BadDocument, match=message):
            count_pages(path, media_type, options)


async def test_a_type_without_a_renderer_is_unsupported(renderer: Renderer, tmp_path: Path) -> None:
    path = tmp_path / "x"
    path.write_bytes(b"x")
    with pytest.raises(PaliError) as info:
        await renderer.check(path, "application/x-unknown")
    assert info.value.code is ErrorCode.UNSUPPORTED_MEDIA_TYPE
