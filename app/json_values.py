"""Checks on JSON that users send (metadata, filters): nesting, size, and NUL characters.

Postgres refuses `\\u0000` in text and JSONB, and deep nesting exhausts Python's recursion
limit wherever the value is serialised; both are the client's error, found before any SQL.
The walk is iterative so a value nested past the recursion limit is still measured safely.
"""

from __future__ import annotations

import json
import math
from typing import Any

from app.errors import bad_input

NUL = "\x00"


def check_text(value: str, *, field: str) -> str:
    """A string that Postgres can store: no NUL characters."""
    if NUL in value:
        raise bad_input(f"`{field}` contains a NUL character (\\u0000), which cannot be stored.")
    return value


def check_json(
    value: Any,
    *,
    field: str,
    max_depth: int,
    max_bytes: int | None = None,
    max_values: int | None = None,
) -> Any:
    """`value` itself, once it nests at most `max_depth` levels, has no NUL in any key or
    string nor a non-finite number, and fits `max_bytes` (as JSON) and `max_values` (items)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    count = 0
    while stack:
        item, depth = stack.pop()
        count += 1
        if max_values is not None and count > max_values:
            raise bad_input(f"`{field}` holds more than {max_values} keys and values; simplify it.")
        if isinstance(item, str):
            check_text(item, field=field)
            continue
        if isinstance(item, float) and not math.isfinite(item):
            # JSON has no NaN or Infinity; Python's parser accepts them, Postgres does not.
            raise bad_input(f"`{field}` contains a non-finite number; use finite numbers.")
        if not isinstance(item, dict | list):
            continue
        if depth > max_depth:
            raise bad_input(f"`{field}` nests deeper than {max_depth} levels; flatten it.")
        if isinstance(item, dict):
            for key, child in item.items():
                check_text(str(key), field=field)
                stack.append((child, depth + 1))
        else:
            stack.extend((child, depth + 1) for child in item)
    if max_bytes is not None:
        size = len(json.dumps(value, ensure_ascii=False).encode())
        if size > max_bytes:
            raise bad_input(f"`{field}` is {size} bytes as JSON; the limit is {max_bytes} bytes.")
    return value
