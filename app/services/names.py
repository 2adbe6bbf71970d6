"""Validation of what users send: names (collections, documents), metadata, base64 fields."""

from __future__ import annotations

import base64
import binascii
import unicodedata
from typing import Any

from app.errors import bad_input


def check_name(kind: str, name: str, *, max_length: int) -> str:
    """Names are what users type and URLs carry: non-empty, trimmed, printable, bounded."""
    if not name or name != name.strip():
        raise bad_input(
            f"{kind} name {name!r} must be non-empty, without leading or trailing spaces."
        )
    if len(name) > max_length:
        raise bad_input(f"{kind} name is {len(name)} characters long; the limit is {max_length}.")
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        raise bad_input(f"{kind} name {name!r} contains control characters.")
    return name


def check_metadata(metadata: Any) -> dict[str, Any]:
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise bad_input('`metadata` must be a JSON object, e.g. {"team": "alpha"}.')
    return metadata


def decode_base64(value: str, *, field: str) -> bytes:
    """Strict base64 (no stray characters), or a BAD_USER_INPUT naming the field."""
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise bad_input(f"`{field}` is not valid base64.") from exc
