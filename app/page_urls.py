"""Signed, expiring page-image URLs: links an `<img src>` loads with no header.

A URL names the page (with its owner: the lookup is then by primary key, on one shard where
the tables are distributed), the width and an expiry, and carries an HMAC-SHA256 of them under
a server key (PALIAPI_URL_SIGNING_KEY, else a key generated once into PALIAPI_DATA_DIR). The
signature is the capability: whoever holds the link may load that one image, at that size,
until it expires; changing any part of it breaks the signature. Only the owner's GraphQL
requests hand links out, so another user's page is never reachable.

Expiries are rounded up to a step, so every link to one image handed out within a step is the
same string and browser caches hit across searches.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import math
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from app.errors import bad_input

# The widths `imageUrl(width:)` serves: a small fixed set, so caches hold few variants.
THUMBNAIL_WIDTHS = (160, 320, 640, 1280)
FULL_SIZE = 0  # the width signed for the stored image itself
KEY_FILE = "url-signing-key"


def thumbnail_width(requested: int | None) -> int:
    """The served width for a requested one: the next allowed width up, or the full image.

    None, or more than the largest thumbnail, is the full-size page image; 1..1280 rounds up
    to the next of THUMBNAIL_WIDTHS; 0 or less is BAD_USER_INPUT.
    """
    if requested is None:
        return FULL_SIZE
    if requested < 1:
        raise bad_input(f"`width` must be a positive number of pixels, got {requested}.")
    return next((w for w in THUMBNAIL_WIDTHS if w >= requested), FULL_SIZE)


def load_signing_key(configured: str | None, data_dir: Path) -> bytes:
    """The configured key, else the one in `data_dir` (created on first use, mode 0600)."""
    if configured:
        return configured.encode()
    path = data_dir / KEY_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    # O_EXCL: of two processes starting at once, one writes and both read the same key.
    with contextlib.suppress(FileExistsError):
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(32))
    for _ in range(50):  # a concurrent creator may not have written it yet
        key = path.read_text().strip()
        if key:
            return key.encode()
        time.sleep(0.01)
    raise RuntimeError(f"{path} is empty: delete it, or set PALIAPI_URL_SIGNING_KEY")


@dataclass(frozen=True)
class PageUrlSigner:
    key: bytes
    ttl_s: int

    @property
    def step_s(self) -> int:
        """Expiries are multiples of this: a link lives between `ttl_s` and `ttl_s + step_s`."""
        return max(60, self.ttl_s // 4)

    def expiry(self, now: float | None = None) -> int:
        at_least = (time.time() if now is None else now) + self.ttl_s
        return math.ceil(at_least / self.step_s) * self.step_s

    def signature(self, owner_id: int, page_id: int, width: int, expires: int) -> str:
        message = f"page-image:{owner_id}:{page_id}:{width}:{expires}".encode()
        digest = hmac.new(self.key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def path(self, owner_id: int, page_id: int, width: int, *, now: float | None = None) -> str:
        """The signed path of a page image (FULL_SIZE or one of THUMBNAIL_WIDTHS)."""
        expires = self.expiry(now)
        sig = self.signature(owner_id, page_id, width, expires)
        return f"/pages/{page_id}/image?o={owner_id}&w={width}&exp={expires}&sig={sig}"

    def valid(
        self,
        owner_id: int,
        page_id: int,
        width: int,
        expires: int,
        signature: str,
        *,
        now: float | None = None,
    ) -> bool:
        """True for an unexpired link this server signed, unchanged."""
        if expires <= (time.time() if now is None else now):
            return False
        if width != FULL_SIZE and width not in THUMBNAIL_WIDTHS:
            return False
        expected = self.signature(owner_id, page_id, width, expires)
        return hmac.compare_digest(expected.encode(), signature.encode())
