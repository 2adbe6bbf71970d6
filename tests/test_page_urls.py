"""Signed page-image links: widths, expiry steps, signatures, and the generated key file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from app.errors import PaliError
from app.page_urls import (
    FULL_SIZE,
    KEY_FILE,
    THUMBNAIL_WIDTHS,
    PageUrlSigner,
    load_signing_key,
    thumbnail_width,
)

SIGNER = PageUrlSigner(key=b"k" * 32, ttl_s=3600)
NOW = 1_800_000_100.0  # not on a step boundary


@pytest.mark.parametrize(
    ("requested", "served"),
    [(None, FULL_SIZE), (1, 160), (160, 160), (161, 320), (500, 640), (1280, 1280), (1281, 0)],
)
def test_widths_round_up_to_the_fixed_set(requested: int | None, served: int) -> None:
    assert thumbnail_width(requested) == served


@pytest.mark.parametrize("requested", [0, -5])
def test_a_width_below_one_is_bad_input(requested: int) -> None:
    with pytest.raises(PaliError) as raised:
        thumbnail_width(requested)
    assert raised.value.code == "BAD_USER_INPUT"


def test_links_made_within_a_step_are_the_same_and_live_at_least_the_ttl() -> None:
    first = SIGNER.path(3, 7, 320, now=NOW)
    assert SIGNER.path(3, 7, 320, now=NOW + 1) == first  # caches key on the URL: it must repeat
    expires = SIGNER.expiry(NOW)
    assert NOW + SIGNER.ttl_s <= expires <= NOW + SIGNER.ttl_s + SIGNER.step_s
    sig = SIGNER.signature(3, 7, 320, expires)
    assert first == f"/pages/7/image?o=3&w=320&exp={expires}&sig={sig}"


def test_a_signature_binds_owner_page_width_and_expiry() -> None:
    expires = SIGNER.expiry(NOW)
    sig = SIGNER.signature(3, 7, 320, expires)
    assert SIGNER.valid(3, 7, 320, expires, sig, now=NOW)
    assert not SIGNER.valid(4, 7, 320, expires, sig, now=NOW)  # another owner
    assert not SIGNER.valid(3, 8, 320, expires, sig, now=NOW)  # another page
    assert not SIGNER.valid(3, 7, 640, expires, sig, now=NOW)  # another size
    assert not SIGNER.valid(3, 7, 320, expires + 60, sig, now=NOW)  # a longer life
    assert not SIGNER.valid(3, 7, 320, expires, sig[:-1] + "A", now=NOW)
    assert not SIGNER.valid(3, 7, 320, expires, sig, now=expires)  # expired
    other = PageUrlSigner(key=b"x" * 32, ttl_s=3600)
    assert not other.valid(3, 7, 320, expires, sig, now=NOW)  # another server's key


def test_only_the_fixed_widths_verify() -> None:
    expires = SIGNER.expiry(NOW)
    assert not SIGNER.valid(3, 7, 333, expires, SIGNER.signature(3, 7, 333, expires), now=NOW)
    for width in (*THUMBNAIL_WIDTHS, FULL_SIZE):
        sig = SIGNER.signature(3, 7, width, expires)
        assert SIGNER.valid(3, 7, width, expires, sig, now=NOW)


def test_the_key_is_generated_once_into_the_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    key = load_signing_key(None, data_dir)
    assert len(key) >= 32
    assert load_signing_key(None, data_dir) == key  # reused across restarts
    assert stat.S_IMODE((data_dir / KEY_FILE).stat().st_mode) == 0o600
    assert load_signing_key("configured", data_dir) == b"configured"
