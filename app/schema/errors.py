"""The GraphQL edge of error handling: every error leaves with a stable `extensions.code`.

Domain errors keep their code and message. Errors raised before execution — parsing,
validation, coercing variables — are the client's (`BAD_USER_INPUT`, with GraphQL's own
message), except the limiters', which carry `QUERY_TOO_COMPLEX` from the extension that
raised them. Anything else is a bug: logged with its traceback, shown only masked.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from typing import Any, cast

import strawberry
from cachetools import LRUCache
from graphql import DocumentNode, GraphQLError, GraphQLSyntaxError, Lexer, Source, TokenKind
from graphql.validation import ASTValidationRule, ValidationContext
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.relay.types import GlobalIDValueError
from strawberry.types import ExecutionContext

from app.errors import ErrorCode, PaliError

log = logging.getLogger("paliapi.errors")

MASKED = "Internal server error."


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


def _code_of(error: GraphQLError) -> ErrorCode:
    original = error.original_error
    if isinstance(original, PaliError):
        return original.code
    if isinstance(original, GlobalIDValueError):
        return ErrorCode.BAD_USER_INPUT
    if original is None:
        # Parse and validation errors, and those the limiters tag with their code.
        tagged = (error.extensions or {}).get("code")
        if isinstance(tagged, str) and tagged in ErrorCode.__members__:
            return ErrorCode(tagged)
        return ErrorCode.BAD_USER_INPUT
    if isinstance(original, GraphQLError):
        # A scalar refusing a variable's value (`Int cannot represent ...`): the message is
        # GraphQL's own, written for the client.
        return ErrorCode.BAD_USER_INPUT
    if error.path is None and isinstance(original, ValueError | TypeError):
        # No path: raised while coercing variables, before any resolver ran.
        return ErrorCode.BAD_USER_INPUT
    return ErrorCode.INTERNAL_SERVER_ERROR


def classify(error: GraphQLError) -> GraphQLError:
    """The error as the client sees it: with its code, and masked when it is a bug."""
    original = error.original_error
    code = _code_of(error)
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
            code,
        )
    if isinstance(original, GlobalIDValueError):
        return _with_code(error, code, f"Invalid node id: {original}")
    if code is ErrorCode.INTERNAL_SERVER_ERROR:
        return GraphQLError(
            MASKED,
            error.nodes,
            error.source,
            error.positions,
            error.path,
            extensions={"code": code.value},
        )
    return _with_code(error, code)


def log_error(error: GraphQLError) -> None:
    """Client errors at INFO without a traceback (a client must not flood the log); bugs at
    ERROR with one."""
    code = _code_of(error)
    if code is ErrorCode.INTERNAL_SERVER_ERROR:
        log.error(
            "unexpected error: %s (path %s)",
            error.message,
            error.path,
            exc_info=error.original_error,
        )
    else:
        log.info("client error %s: %s (path %s)", code.value, error.message, error.path)


class ErrorCodes(MaskErrors):
    """MaskErrors, with classification instead of blanket masking."""

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [classify(error) for error in errors]


class Schema(strawberry.Schema):
    """The schema, logging each error by whose it is (strawberry logs all at ERROR)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            log_error(error)


# The limiters. Each tags its own errors with QUERY_TOO_COMPLEX, so the code never depends on
# the wording of a message.


def _too_complex(error: GraphQLError) -> GraphQLError:
    error.extensions = {**(error.extensions or {}), "code": ErrorCode.QUERY_TOO_COMPLEX.value}
    return error


class _TaggingContext:
    """A validation context whose reported errors carry QUERY_TOO_COMPLEX."""

    def __init__(self, context: ValidationContext) -> None:
        self._context = context

    def report_error(self, error: GraphQLError) -> None:
        self._context.report_error(_too_complex(error))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)


def _tagging(rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
    class Tagging(rule):  # type: ignore[valid-type,misc]
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(cast("ValidationContext", _TaggingContext(context)))

    return Tagging


# The limiters' rule classes are built once per limit: strawberry's ValidationCache keys on
# them (and on the parsed document), and a fresh class per request would never hit.
@functools.cache
def _tagged_rules(
    limiter: Callable[..., AddValidationRules], **limit: int
) -> tuple[type[ASTValidationRule], ...]:
    return tuple(_tagging(rule) for rule in limiter(**limit).validation_rules)


class DepthLimit(AddValidationRules):
    def __init__(self, max_depth: int) -> None:
        super().__init__(list(_tagged_rules(QueryDepthLimiter, max_depth=max_depth)))


class AliasLimit(AddValidationRules):
    def __init__(self, max_alias_count: int) -> None:
        super().__init__(list(_tagged_rules(MaxAliasesLimiter, max_alias_count=max_alias_count)))


class ParsedDocuments(SchemaExtension):
    """Parse each distinct document once: clients send the same few over and over. Only
    successful parses are kept, so a syntax error still takes strawberry's own path (and gets
    its code); the TokenLimit holds for a cached text as it did when it was parsed."""

    _cache: LRUCache[tuple[str, tuple[tuple[str, Any], ...]], DocumentNode] = LRUCache(512)

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        key = (context.query or "", tuple(sorted(context.parse_options.items())))
        if context.graphql_document is None and key in self._cache:
            context.graphql_document = self._cache[key]
        yield
        if context.graphql_document is not None and not context.pre_execution_errors:
            self._cache[key] = context.graphql_document


class TokenLimit(MaxTokensLimiter):
    """The parser stops at `max_token_count`; a syntax error past that count is this limit's."""

    def on_parse(self) -> Iterator[None]:
        yield
        context = self.execution_context
        for error in context.pre_execution_errors or ():
            if isinstance(error, GraphQLSyntaxError) and self._over_limit(context.query or ""):
                _too_complex(error)

    def _over_limit(self, query: str) -> bool:
        lexer = Lexer(Source(query))
        try:
            for _ in range(self.max_token_count + 1):
                if lexer.advance().kind is TokenKind.EOF:
                    return False
        except GraphQLSyntaxError:
            return False  # a lexical error before the limit: an ordinary syntax error
        return True
