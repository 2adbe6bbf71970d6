"""Integrity violations raised by Postgres, turned into the domain error a client can act on.

Checking for a name before inserting it leaves a window in which a concurrent request inserts
the same name; the unique index is what decides, so its violation (SQLSTATE 23505) is the
answer to give: a CONFLICT, not a bug. The error arrives as asyncpg's exception, or wrapped
by SQLAlchemy (`IntegrityError.orig`, itself wrapping asyncpg's in `__cause__`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.errors import PaliError

UNIQUE_VIOLATION = "23505"
FOREIGN_KEY_VIOLATION = "23503"


def sqlstate(error: BaseException) -> str | None:
    """The SQLSTATE of a database error anywhere in the chain of `error`, if there is one."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        code = getattr(current, "sqlstate", None) or getattr(current, "pgcode", None)
        if isinstance(code, str):
            return code
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return None


@contextmanager
def violations_as(
    *, unique: PaliError | None = None, foreign_key: PaliError | None = None
) -> Iterator[None]:
    """Raise `unique` for a unique violation and `foreign_key` for a missing referenced row
    (a concurrent delete) inside the block; any other error passes through unchanged."""
    try:
        yield
    except Exception as error:
        code = sqlstate(error)
        if code == UNIQUE_VIOLATION and unique is not None:
            raise unique from error
        if code == FOREIGN_KEY_VIOLATION and foreign_key is not None:
            raise foreign_key from error
        raise
