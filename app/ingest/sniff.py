"""What a file is, judged by its bytes (never by its name or a client's content type)."""

from __future__ import annotations

from pathlib import Path

from app.errors import ErrorCode, PaliError, bad_input
from app.ingest.formats import SUPPORTED_DOCUMENTS, document_type

PDF = "application/pdf"
IMAGE_TYPES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/tiff": (b"II*\x00", b"MM\x00*"),
    "image/bmp": (b"BM",),
}
HEAD_BYTES = 1024  # the PDF header may follow up to 1 KiB of junk

SUPPORTED_IMAGES = "PNG, JPEG, WebP, TIFF, GIF or BMP"


def image_type(head: bytes) -> str | None:
    """The media type of an image from its first bytes; None when it is not one we read."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    for media_type, signatures in IMAGE_TYPES.items():
        if head.startswith(signatures):
            return media_type
    return None


def sniff(head: bytes, path: Path | None = None) -> str:
    """The media type of a file from its first bytes, or an error a client can act on.

    With `path`, containers (ZIP, OLE2) are opened and text is checked to its end: pass it
    for anything but a short in-memory file. Blocking: call it off the event loop.
    """
    if not head:
        raise bad_input("The file is empty.")
    if b"%PDF-" in head[:HEAD_BYTES]:
        return PDF
    if (media_type := image_type(head)) is not None:
        return media_type
    if (media_type := document_type(head, path)) is not None:
        return media_type
    raise PaliError(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        f"Unsupported file type: send a PDF, an image ({SUPPORTED_IMAGES}) or a document "
        f"({SUPPORTED_DOCUMENTS}).",
    )
