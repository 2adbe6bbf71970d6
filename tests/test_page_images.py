"""Thumbnails: scaled to the width as WebP, never upscaled, full size as stored."""

from __future__ import annotations

import io

from PIL import Image

from app.page_images import scaled
from app.page_urls import FULL_SIZE
from tests.files import image


def test_a_wide_page_becomes_a_webp_thumbnail() -> None:
    page = image("PNG", (840, 1188))
    body, mime = scaled(page, "image/png", 320)
    assert mime == "image/webp"
    with Image.open(io.BytesIO(body)) as thumbnail:
        assert thumbnail.format == "WEBP"
        assert thumbnail.size == (320, 453)


def test_a_narrow_page_and_full_size_are_served_as_stored() -> None:
    page = image("PNG", (200, 300))
    assert scaled(page, "image/png", 320) == (page, "image/png")
    assert scaled(page, "image/png", FULL_SIZE) == (page, "image/png")
