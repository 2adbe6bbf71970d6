"""Types are told by their bytes; names and client-sent types are never trusted."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from app.errors import ErrorCode, PaliError
from app.ingest.sniff import sniff
from tests import files


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (files.pdf(1), "application/pdf"),
        (b"\n\n  junk before header %PDF-1.7\n", "application/pdf"),
        (files.image("PNG"), "image/png"),
        (files.image("JPEG"), "image/jpeg"),
        (files.image("WEBP"), "image/webp"),
        (files.image("TIFF"), "image/tiff"),
        (files.image("GIF"), "image/gif"),
        (files.image("BMP"), "image/bmp"),
    ],
)
def test_known_types(data: bytes, media_type: str) -> None:
    assert sniff(data[:1024]) == media_type


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (b"<html><body>hi</body></html>", "text/html"),
        (b"\xef\xbb\xbf\n  <!DOCTYPE html>\n<html>", "text/html"),
        (b"<!-- made by hand -->\n<!doctype html><p>hi", "text/html"),
        (
            b'<?xml version="1.0"?>\n<!-- c -->\n<svg xmlns="http://www.w3.org/2000/svg"/>',
            "image/svg+xml",
        ),
        (b"<?xml version='1.0'?><FictionBook xmlns='x'>", "application/x-fictionbook+xml"),
        (b"<?xml version='1.0'?><catalog/>", "text/plain"),
        (b"plain text", "text/plain"),
        ("caf\u00e9 \u4e2d\u6587\ttabs\r\n".encode(), "text/plain"),
        (b"# Notes\n\nSee [the guide](https://example.com).\n", "text/markdown"),
        (b"{\\rtf1\\ansi hello}", "application/rtf"),
    ],
)
def test_documents_by_their_bytes(data: bytes, media_type: str) -> None:
    assert sniff(data) == media_type


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02",
        b"text with a NUL\x00 inside",
        "latin-1 caf\u00e9".encode("latin-1"),
        b"\x7fELF\x02\x01\x01",
    ],
)
def test_anything_else_is_unsupported(data: bytes) -> None:
    with pytest.raises(PaliError) as info:
        sniff(data)
    assert info.value.code is ErrorCode.UNSUPPORTED_MEDIA_TYPE
    assert "PDF, an image (PNG, JPEG" in info.value.message
    assert "Word (DOCX, DOC)" in info.value.message


def test_text_must_be_utf8_to_its_end(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"fine so far\n" * 9000 + "caf\u00e9!".encode("latin-1"))  # past 64 KiB
    with pytest.raises(PaliError) as info:
        sniff(path.read_bytes()[:1024], path)
    assert info.value.code is ErrorCode.UNSUPPORTED_MEDIA_TYPE
    assert "not valid UTF-8 at byte 108,003" in info.value.message
    path.write_bytes(b"fine so far\n" * 200 + b"\xe9")  # cut inside a character
    with pytest.raises(PaliError, match="not valid UTF-8 at its end"):
        sniff(path.read_bytes()[:1024], path)
    path.write_bytes(b"fine so far\n" * 9000 + b"\x00")  # a NUL past the first 64 KiB
    with pytest.raises(PaliError, match="NUL bytes further on"):
        sniff(path.read_bytes()[:1024], path)


def test_zip_and_ole2_containers(tmp_path: Path) -> None:
    def archive(members: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as out:
            for name, data in members.items():
                out.writestr(name, data)
        return buffer.getvalue()

    odg = archive({"mimetype": b"application/vnd.oasis.opendocument.graphics"})
    with pytest.raises(PaliError, match="OpenDocument graphics files are not read"):
        sniff(odg)
    with pytest.raises(PaliError, match="a ZIP archive that is not a DOCX"):
        sniff(archive({"notes.txt": b"hello"}))
    assert sniff(archive({"mimetype": b"application/epub+zip"})) == "application/epub+zip"
    assert (
        sniff(archive({"a/1.jpg": b"x", "ComicInfo.xml": b"<x/>"}))
        == "application/vnd.comicbook+zip"
    )
    with pytest.raises(PaliError) as info:
        sniff(b"PK\x03\x04 truncated")
    assert (
        info.value.code is ErrorCode.BAD_USER_INPUT and "corrupt or truncated" in info.value.message
    )
    with pytest.raises(PaliError) as info:
        sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    assert info.value.code is ErrorCode.BAD_USER_INPUT and "OLE2" in info.value.message


def test_empty_is_bad_input() -> None:
    with pytest.raises(PaliError) as info:
        sniff(b"")
    assert info.value.code is ErrorCode.BAD_USER_INPUT
    assert "empty" in info.value.message
