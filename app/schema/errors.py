"""The GraphQL edge of error handling: every error leaves with a stable `extensions.code`.

Domain errors keep their code and message; GraphQL's own parse and validation errors are the
client's (`BAD_USER_INPUT`, or `QUERY_TOO_COMPLEX` from the limiters); anything else is a bug,
logged in full here and shown to the client only as a masked `INTERNAL_SERVER_ERROR`.
"""

from __future__ import annotations

import logging

from graphql import GraphQLError
from strawberry.extensions import MaskErrors
from strawberry.relay.types import GlobalIDValueError

from app.errors import ErrorCode, PaliError

log = logging.getLogger("paliapi.errors")

# The limiters report plain GraphQLErrors; their messages are the only thing that tells them apart.
_TOO_COMPLEX = (
    "exceeds maximum operation depth",
    "aliases found. Allowed",
    "Document contains more than",
)


def _with_code(error: GraphQLError, code: ErrorCode, message: str | None = None) -> GraphQLError:
    extensions = {**(error.extensions or {}), "code": code.value}
    return GraphQLError(
        message=message or error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )


def classify(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if isinstance(original, PaliError):
        return _with_code(
            GraphQLError(
                original.message,
                error.nodes,
                error.source,
                error.positions,
                error.path,
                extensions={**original.extensions},
            ),
            original.code,
        )
    if isinstance(original, GlobalIDValueError):
        return _with_code(error, ErrorCode.BAD_USER_INPUT, f"Invalid node id: {original}")
    if original is None:
        if any(marker in error.message for marker in _TOO_COMPLEX):
            return _with_code(error, ErrorCode.QUERY_TOO_COMPLEX)
        return _with_code(error, ErrorCode.BAD_USER_INPUT)
    log.error("unexpected error in a resolver", exc_info=original)
    return _with_code(error, ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error.")


class ErrorCodes(MaskErrors):
    """MaskErrors, with classification instead of blanket masking."""

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [classify(error) for error in errors]
