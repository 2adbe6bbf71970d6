"""Real files made in the tests: PDFs with text drawn by PyMuPDF, images in every format."""

from __future__ import annotations

import functools
import io

import pymupdf
from PIL import Image, ImageDraw


@functools.cache
def pdf(pages: int = 3, *, title: str = "Report", password: str | None = None) -> bytes:
    """Made once per arguments a session (bytes are immutable): the suite asks for the same
    few PDFs many times, and each build is a trip through MuPDF."""
    document = pymupdf.open()
    for number in range(1, pages + 1):
        page = document.new_page(width=595, height=842)
        page.insert_text((72, 72), f"{title} page {number}", fontsize=20)
        page.insert_text((72, 110), f"Revenue grew {number * 7}% in quarter {number}.", fontsize=12)
        page.draw_rect(
            pymupdf.Rect(72, 140, 72 + 40 * number, 180), color=(0, 0, 1), fill=(0.2, 0.4, 1)
        )
    options = {}
    if password:
        options = {
            "encryption": pymupdf.PDF_ENCRYPT_AES_256,
            "owner_pw": password,
            "user_pw": password,
        }
    data: bytes = document.tobytes(**options)
    document.close()
    return data


def image(fmt: str, size: tuple[int, int] = (320, 240), frames: int = 1) -> bytes:
    pictures = []
    for frame in range(frames):
        picture = Image.new("RGB", size, (255, 255 - 40 * frame, 255))
        ImageDraw.Draw(picture).text((10, 10), f"frame {frame + 1}", fill=(0, 0, 0))
        pictures.append(picture)
    buffer = io.BytesIO()
    extra = {"save_all": True, "append_images": pictures[1:]} if frames > 1 else {}
    pictures[0].save(buffer, format=fmt, **extra)
    return buffer.getvalue()


def bomb() -> bytes:
    """A tiny PNG that decodes to 144 million pixels."""
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, format="PNG")
    return buffer.getvalue()
