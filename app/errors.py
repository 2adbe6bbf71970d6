"""The one domain error type, and the stable codes clients see in `extensions.code`."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    CONFLICT = "CONFLICT"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    RATE_LIMITED = "RATE_LIMITED"
    EMBEDDINGS_UNAVAILABLE = "EMBEDDINGS_UNAVAILABLE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class PaliError(Exception):
    """An error the client caused (or can act on); services raise it, the GraphQL edge maps it."""

    def __init__(self, code: ErrorCode, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extensions = extensions


def not_found(kind: str, name: str) -> PaliError:
    # Another user's object gets the same answer as a missing one: existence is not revealed.
    return PaliError(ErrorCode.NOT_FOUND, f"{kind} {name!r} was not found.")


def bad_input(message: str, **extensions: Any) -> PaliError:
    return PaliError(ErrorCode.BAD_USER_INPUT, message, **extensions)
