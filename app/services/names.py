"""Validation of what users send: names (collections, documents), metadata, base64 fields."""

from __future__ import annotations

import base64
import binascii
import unicodedata
from typing import Any

from app.errors import bad_input
from app.json_values import check_json, check_text
from app.settings import settings


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
    """A JSON object within PALIAPI_MAX_METADATA_BYTES and _DEPTH, storable by Postgres."""
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise bad_input('`metadata` must be a JSON object, e.g. {"team": "alpha"}.')
    check_json(
        metadata,
        field="metadata",
        max_depth=settings.max_metadata_depth,
        max_bytes=settings.max_metadata_bytes,
    )
    return metadata


def check_text_fields(**fields: str | None) -> None:
    """Strings bound into SQL (queries, names to look up) without NUL, which Postgres refuses."""
    for field, value in fields.items():
        if value is not None:
            check_text(value, field=field)


def decode_base64(value: str, *, field: str) -> bytes:
    """Strict base64 (no stray characters), or a BAD_USER_INPUT naming the field."""
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise bad_input(f"`{field}` is not valid base64.") from exc
