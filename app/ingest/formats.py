"""Documents other than PDFs and images, told apart by their bytes.

Office files are containers: a DOCX, XLSX, PPTX, ODF file, EPUB, XPS or CBZ is a ZIP archive
whose member names (or `mimetype` member) say what it is; a DOC, XLS or PPT is an OLE2
compound file whose stream names do. Text formats are UTF-8 text whose first element (SVG,
FictionBook, HTML) or look (Markdown) says what it is. File names and client-sent types are
never consulted.
"""

from __future__ import annotations

import codecs
import io
import re
import struct
import zipfile
from pathlib import Path
from typing import IO

from app.errors import ErrorCode, PaliError, bad_input

# Converted to PDF by LibreOffice.
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
PPT = "application/vnd.ms-powerpoint"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
RTF = "application/rtf"
# Opened by PyMuPDF itself.
EPUB = "application/epub+zip"
XPS = "application/vnd.ms-xpsdocument"
CBZ = "application/vnd.comicbook+zip"
FB2 = "application/x-fictionbook+xml"
SVG = "image/svg+xml"
TEXT = "text/plain"
MARKDOWN = "text/markdown"
# Recognised here; rendered by the web-page path.
HTML = "text/html"

ODF_TYPES = {  # the `mimetype` member of an ODF package; templates convert like documents
    ODT: ODT,
    ODT + "-template": ODT,
    ODS: ODS,
    ODS + "-template": ODS,
    ODP: ODP,
    ODP + "-template": ODP,
}
NAMES = {  # as messages name them
    DOCX: "Word",
    DOC: "Word",
    XLSX: "Excel",
    XLS: "Excel",
    PPTX: "PowerPoint",
    PPT: "PowerPoint",
    ODT: "OpenDocument text",
    ODS: "OpenDocument spreadsheet",
    ODP: "OpenDocument presentation",
    RTF: "RTF",
    EPUB: "EPUB",
    XPS: "XPS",
    CBZ: "CBZ",
    FB2: "FB2",
    SVG: "SVG",
    TEXT: "text",
    MARKDOWN: "Markdown",
    HTML: "HTML",
}
LIBREOFFICE_TYPES = frozenset({DOCX, XLSX, PPTX, DOC, XLS, PPT, ODT, ODS, ODP, RTF})
PYMUPDF_TYPES = frozenset({EPUB, XPS, CBZ, FB2, SVG, TEXT, MARKDOWN})
ZIP_TYPES = frozenset({DOCX, XLSX, PPTX, ODT, ODS, ODP, EPUB, XPS, CBZ})
REFLOWABLE = frozenset({EPUB, FB2, TEXT})  # laid out on A4 pages (Markdown: see convert.py)

SUPPORTED_DOCUMENTS = (
    "Word (DOCX, DOC), Excel (XLSX, XLS), PowerPoint (PPTX, PPT), OpenDocument (ODT, ODS, "
    "ODP), RTF, EPUB, XPS, CBZ, FB2, SVG, HTML, Markdown or UTF-8 plain text"
)

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAMPLE_BYTES = 64 * 1024  # how much of a text file its kind is judged from
MARKDOWN_SAMPLE = 16 * 1024
COMIC_IMAGES = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp")
MAX_ZIP_MEMBERS = 20_000


def unsupported(what: str) -> PaliError:
    return PaliError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, f"Unsupported file type: {what}.")


def document_type(head: bytes, path: Path | None = None) -> str | None:
    """The media type of a document that is neither a PDF nor an image; None if unknown.

    `head` is the file's first bytes; `path`, when given, lets containers be opened (without
    it only what `head` holds is judged). Raises for a file whose kind is clear but which
    cannot be used (a corrupt ZIP, an encrypted Office file).
    """
    if head.startswith(ZIP_MAGIC):
        return _zip_type(head, path)
    if head.startswith(OLE2_MAGIC):
        return _ole2_type(head, path)
    if head.startswith(b"{\\rtf"):
        return RTF
    return _text_type(head, path)


# ZIP containers ------------------------------------------------------------------------------


def _zip_type(head: bytes, path: Path | None) -> str:
    source: Path | IO[bytes] = path if path is not None else io.BytesIO(head)
    try:
        with zipfile.ZipFile(source) as archive:
            return _classify_zip(archive)
    except PaliError:
        raise
    except Exception as exc:  # zipfile raises many types for damaged archives
        raise bad_input(
            f"The file is a ZIP archive (as DOCX, XLSX, PPTX, ODF and EPUB files are) but it "
            f"is corrupt or truncated ({exc}); upload the complete file."
        ) from exc


def _classify_zip(archive: zipfile.ZipFile) -> str:
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if "mimetype" in names:
        with archive.open("mimetype") as member:
            declared = member.read(200).decode("ascii", "replace").strip()
        if declared == EPUB:
            return EPUB
        if declared in ODF_TYPES:
            return ODF_TYPES[declared]
        if declared.startswith("application/vnd.oasis.opendocument."):
            kind = declared.rsplit(".", 1)[-1]
            raise unsupported(
                f"OpenDocument {kind} files are not read; send a text document, spreadsheet "
                "or presentation, or export it to PDF"
            )
    if "[Content_Types].xml" in names:
        for prefix, media_type in (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX)):
            if any(name.startswith(prefix) for name in names):
                return media_type
        if any(name.lower().endswith((".fpage", ".fdseq")) for name in names):
            return XPS
    files = [info.filename for info in infos if not info.is_dir()]
    pictures = [name for name in files if name.lower().endswith(COMIC_IMAGES)]
    others = [name for name in files if name not in pictures]
    if pictures and all(name.rsplit("/", 1)[-1].lower() == "comicinfo.xml" for name in others):
        return CBZ
    raise unsupported(
        "a ZIP archive that is not a DOCX, XLSX, PPTX, OpenDocument, EPUB, XPS or CBZ document"
    )


def check_zip(path: Path, max_bytes: int) -> None:
    """Refuse a ZIP bomb: an archive whose members expand to more than `max_bytes` in all.

    The declared sizes are checked first (instantly); then every member is inflated up to its
    declared size and checked against its CRC, so an archive that lies about its sizes is
    refused as corrupt instead of reaching a reader. Raises ValueError with a message for
    the client.
    """
    limit_mb = max_bytes / (1024 * 1024)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise ValueError(
                    f"The archive holds {len(infos):,} files; the limit is {MAX_ZIP_MEMBERS:,}."
                )
            declared = sum(info.file_size for info in infos)
            if declared > max_bytes:
                raise ValueError(_bomb_message(declared, path, limit_mb))
            for info in infos:  # zipfile inflates no more than a member's declared size
                with archive.open(info) as member:
                    while member.read(1 << 20):
                        pass
    except ValueError:
        raise
    except Exception as exc:  # zipfile raises many types for damaged or lying archives
        raise ValueError(
            f"The document's ZIP container is corrupt ({exc}); upload the complete file."
        ) from exc


def _bomb_message(size: int, path: Path, limit_mb: float) -> str:
    ratio = size / max(path.stat().st_size, 1)
    return (
        f"The document expands to more than {limit_mb:g} MiB when unzipped ({ratio:,.0f} times "
        "its size; PALIAPI_CONVERT_MAX_UNZIPPED_MB): it looks like a ZIP bomb."
    )


# OLE2 compound files (DOC, XLS, PPT) ---------------------------------------------------------

_FREE = 0xFFFFFFFA  # sector numbers from here up are markers, not sectors


def _ole2_type(head: bytes, path: Path | None) -> str:
    try:
        if path is None:
            streams = ole2_streams(io.BytesIO(head), len(head))
        else:
            with path.open("rb") as file:
                streams = ole2_streams(file, path.stat().st_size)
    except (ValueError, struct.error) as exc:
        raise bad_input(
            f"The file is an OLE2 compound file (as DOC, XLS and PPT files are) but it is "
            f"corrupt or truncated ({exc}); upload the complete file."
        ) from exc
    if "WordDocument" in streams:
        return DOC
    if "PowerPoint Document" in streams:
        return PPT
    if {"Workbook", "Book"} & streams:
        return XLS
    if "EncryptedPackage" in streams:
        raise bad_input("The Office document is password-protected; upload an unencrypted copy.")
    raise unsupported("an OLE2 compound file that is not a Word, Excel or PowerPoint document")


def ole2_streams(file: IO[bytes], size: int) -> set[str]:
    """The names in an OLE2 compound file's directory (MS-CFB), read defensively."""
    header = file.read(512)
    if len(header) < 512:
        raise ValueError("short header")
    sector_size = 1 << struct.unpack_from("<H", header, 0x1E)[0]
    if sector_size not in (512, 4096):
        raise ValueError(f"bad sector size {sector_size}")
    sectors = max(0, size // sector_size - 1)  # the header takes the first sector's place
    fat_count, first_dir = struct.unpack_from("<II", header, 0x2C)
    first_difat, difat_count = struct.unpack_from("<II", header, 0x44)
    per_sector = sector_size // 4

    def sector(number: int) -> bytes:
        if number >= sectors:
            raise ValueError(f"sector {number} is past the end of the file")
        file.seek((number + 1) * sector_size)
        data = file.read(sector_size)
        if len(data) < sector_size:
            raise ValueError("truncated sector")
        return data

    fat_sectors = [n for n in struct.unpack_from("<109I", header, 0x4C) if n < _FREE]
    next_difat, seen = first_difat, 0
    while next_difat < _FREE and seen < difat_count:
        entries = struct.unpack(f"<{per_sector}I", sector(next_difat))
        fat_sectors.extend(n for n in entries[:-1] if n < _FREE)
        next_difat, seen = entries[-1], seen + 1
    if len(fat_sectors) > sectors or fat_count > sectors:
        raise ValueError("the allocation table is larger than the file")
    fat: list[int] = []
    for number in fat_sectors:
        fat.extend(struct.unpack(f"<{per_sector}I", sector(number)))

    names: set[str] = set()
    current, visited = first_dir, set()
    while current < _FREE:
        if current in visited or current >= len(fat):
            raise ValueError("the directory chain is broken")
        visited.add(current)
        data = sector(current)
        for offset in range(0, sector_size, 128):
            length = struct.unpack_from("<H", data, offset + 64)[0]
            if data[offset + 66] in (1, 2) and 2 <= length <= 64:
                names.add(data[offset : offset + length - 2].decode("utf-16-le", "replace"))
        current = fat[current]
    return names


# Text: SVG, FictionBook, HTML, Markdown, plain text ------------------------------------------

_ALLOWED_CONTROLS = frozenset(b"\t\n\r\f\x1b")
_PROLOG = re.compile(
    rb"\A(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^<>\[]|\[.*?\])*>)*", re.DOTALL | re.IGNORECASE
)
_HTML_DOCTYPE = re.compile(rb"\A\s*(?:<!--.*?-->\s*)*<!doctype\s+html", re.DOTALL | re.IGNORECASE)
_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_MARKDOWN_STRONG = (
    re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE),  # ATX heading
    re.compile(r"^ {0,3}(```|~~~)", re.MULTILINE),  # fenced code
    re.compile(r"^ {0,3}\|?[ \t]*:?-{3,}:?[ \t]*\|", re.MULTILINE),  # table delimiter row
    re.compile(r"^[ \t]*\S[^\n]*\n {0,3}(=+|-{2,})[ \t]*$", re.MULTILINE),  # setext heading
    re.compile(r"\[[^\]\n]{1,200}\]\([^)\s]{1,500}\)"),  # inline link
)
_MARKDOWN_WEAK = (
    re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+\S", re.MULTILINE),  # list item
    re.compile(r"(\*\*|__)\S[^\n]{0,200}?\S\1"),  # strong emphasis
    re.compile(r"`[^`\n]{1,200}`"),  # code span
    re.compile(r"^ {0,3}>[ \t]?\S", re.MULTILINE),  # block quote
)


def _text_type(head: bytes, path: Path | None) -> str | None:
    sample = head
    if path is not None:
        with path.open("rb") as file:
            sample = file.read(SAMPLE_BYTES)
    body = sample.removeprefix(codecs.BOM_UTF8)
    if not _looks_like_text(body, whole=path is None):  # without a path, `head` is all
        return None
    if path is not None:
        _check_utf8(path)
    prolog = _PROLOG.match(body)
    if _HTML_DOCTYPE.match(body):  # before the prolog: that skips DOCTYPEs
        return HTML
    root = _ROOT.match(body, prolog.end() if prolog else 0)
    if root is not None:
        name = root.group(1).decode("ascii").lower()
        if name == "svg":
            return SVG
        if name == "fictionbook":
            return FB2
        if name == "html":
            return HTML
    return (
        MARKDOWN if looks_like_markdown(body[:MARKDOWN_SAMPLE].decode("utf-8", "ignore")) else TEXT
    )


def _looks_like_text(data: bytes, *, whole: bool) -> bool:
    """UTF-8 without NULs or control characters; `whole`: the data is the entire file (else
    it may end inside a character)."""
    if not data or b"\x00" in data:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=whole)
    except UnicodeDecodeError:
        return False
    return not any(byte < 0x20 and byte not in _ALLOWED_CONTROLS for byte in data)


def _check_utf8(path: Path) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            try:
                decoder.decode(chunk, final=False)
            except UnicodeDecodeError as exc:
                raise unsupported(
                    f"the file starts as text but is not valid UTF-8 at byte {offset + exc.start:,}"
                    "; save text files as UTF-8"
                ) from exc
            if b"\x00" in chunk:
                raise unsupported("the file starts as text but holds NUL bytes further on")
            offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise unsupported(
            "the file starts as text but is not valid UTF-8 at its end; save text files as UTF-8"
        ) from exc


def looks_like_markdown(text: str) -> bool:
    """Markdown is plain text by design; call it Markdown when its structure shows.

    One strong sign (a heading, a fence, a table, a link) with any other sign, or two kinds
    of strong sign. A plain text taken for Markdown loses little: line breaks are kept
    (see convert.markdown_pdf).
    """
    strong = sum(1 for pattern in _MARKDOWN_STRONG if pattern.search(text))
    weak = sum(1 for pattern in _MARKDOWN_WEAK if pattern.search(text))
    return strong >= 2 or (strong == 1 and weak >= 1)
