"""Counts and times every GraphQL operation by its name and outcome code.

Listed first among the schema's extensions so that it is the outermost: it sees the result
after the error handling has given every error its code. Operation names are the client's
choice, so they are bounded: a name that is not a GraphQL name is "anonymous", and past
`MAX_OPERATION_NAMES` distinct names new ones are counted as "other".
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from app.metrics import GRAPHQL_LATENCY, GRAPHQL_REQUESTS
from app.observability import current_request

MAX_OPERATION_NAMES = 200
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")
_seen: set[str] = set()


def bounded_name(name: str | None) -> str:
    if not name or not _NAME.fullmatch(name):
        return "anonymous"
    if name in _seen:
        return name
    if len(_seen) >= MAX_OPERATION_NAMES:
        return "other"
    _seen.add(name)
    return name


def outcome_code(errors: object) -> str:
    """The first error's code, or "OK"."""
    if not isinstance(errors, list) or not errors:
        return "OK"
    code = (getattr(errors[0], "extensions", None) or {}).get("code")
    return str(code) if code else "INTERNAL_SERVER_ERROR"


class OperationMetrics(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        failed = False
        try:
            yield
        except BaseException:
            failed = True
            raise
        finally:
            raw = self.execution_context.operation_name
            name = bounded_name(raw)
            errors = getattr(self.execution_context.result, "errors", None)
            code = "INTERNAL_SERVER_ERROR" if failed else outcome_code(errors)
            GRAPHQL_REQUESTS.labels(name, code).inc()
            GRAPHQL_LATENCY.labels(name).observe(time.perf_counter() - started)
            request = current_request.get()
            if request is not None:
                # The log keeps the exact name (bounded in length), the metrics the capped set.
                request.operation = raw if raw and _NAME.fullmatch(raw) else "anonymous"
