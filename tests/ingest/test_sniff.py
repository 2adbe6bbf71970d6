"""Types are told by their bytes; names and client-sent types are never trusted."""

from __future__ import annotations

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
    "data",
    [
        b"PK\x03\x04 a docx is a zip",
        b"<html><body>hi</body></html>",
        b"plain text",
        b"\x00\x01\x02",
    ],
)
def test_anything_else_is_unsupported(data: bytes) -> None:
    with pytest.raises(PaliError) as info:
        sniff(data)
    assert info.value.code is ErrorCode.UNSUPPORTED_MEDIA_TYPE
    assert "PDF, PNG, JPEG" in info.value.message


def test_empty_is_bad_input() -> None:
    with pytest.raises(PaliError) as info:
        sniff(b"")
    assert info.value.code is ErrorCode.BAD_USER_INPUT
    assert "empty" in info.value.message
