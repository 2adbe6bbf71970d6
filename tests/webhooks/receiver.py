"""A webhook receiver on loopback, as a user would write one: it verifies every request with
the `standardwebhooks` package and records what came, and can misbehave on purpose."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook, WebhookVerificationError


@dataclass(frozen=True)
class Received:
    webhook_id: str
    timestamp: str
    signature: str
    verified: bool
    payload: dict[str, Any]
    answered: int  # the status the receiver chose (a held request may never get it out)
    at: float  # monotonic


class Receiver:
    """`fail_first`: answer 500 to that many requests first. `hold_first`: keep the first
    request open until `release` is set (its sender may die meanwhile)."""

    def __init__(self, *, fail_first: int = 0, always_fail: bool = False) -> None:
        self.secret: str | None = None  # set once createWebhook has answered
        self.fail_first = fail_first
        self.always_fail = always_fail
        self.hold_first = False
        self.held = threading.Event()
        self.release = threading.Event()
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                headers = {key.lower(): value for key, value in self.headers.items()}
                try:
                    assert receiver.secret is not None
                    payload = Webhook(receiver.secret).verify(body, headers)
                    verified = True
                except WebhookVerificationError:
                    payload, verified = json.loads(body), False
                with receiver._lock:
                    number = len(receiver.received) + 1
                    failing = receiver.always_fail or number <= receiver.fail_first
                    status = 400 if not verified else 500 if failing else 200
                    receiver.received.append(
                        Received(
                            webhook_id=headers.get("webhook-id", ""),
                            timestamp=headers.get("webhook-timestamp", ""),
                            signature=headers.get("webhook-signature", ""),
                            verified=verified,
                            payload=payload,
                            answered=status,
                            at=time.monotonic(),
                        )
                    )
                if number == 1 and receiver.hold_first:
                    receiver.held.set()
                    receiver.release.wait(120)
                with contextlib.suppress(OSError):  # the sender may be gone (killed)
                    answer = b"receiver says no" if status != 200 else b"ok"
                    self.send_response(status)
                    self.send_header("content-length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    @contextlib.contextmanager
    def running(self) -> Iterator[Receiver]:
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.release.set()
            self._server.shutdown()
            self._server.server_close()
            thread.join(timeout=10)

    def snapshot(self) -> list[Received]:
        with self._lock:
            return list(self.received)

    def wait_until(self, done: Callable[[list[Received]], bool], timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not done(self.snapshot()):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; received so far: {self.snapshot()}")
            time.sleep(0.05)

    def types(self) -> list[str]:
        return [r.payload["type"] for r in self.snapshot()]
