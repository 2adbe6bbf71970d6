"""Page thumbnails: a stored page image scaled down to one of the fixed widths, as WebP."""

from __future__ import annotations

import io

from PIL import Image

from app.page_urls import FULL_SIZE

THUMBNAIL_QUALITY = 80  # WebP quality: text stays legible at thumbnail sizes


def scaled(image: bytes, mime: str, width: int) -> tuple[bytes, str]:
    """The image at `width` pixels wide (aspect kept) as WebP, or as stored when it is no wider.

    CPU work of tens of milliseconds for a large page: callers run it in a thread.
    """
    if width == FULL_SIZE:
        return image, mime
    with Image.open(io.BytesIO(image)) as opened:
        if opened.width <= width:
            return image, mime
        height = max(1, round(opened.height * width / opened.width))
        thumbnail = opened.convert("RGB").resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    thumbnail.save(out, format="WEBP", quality=THUMBNAIL_QUALITY, method=4)
    return out.getvalue(), "image/webp"
