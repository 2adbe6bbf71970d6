"""The Python SDK against a live server: uploads, search, watch, pagination, errors, retries,
webhooks."""

from __future__ import annotations

import asyncio
import base64
import http.server
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from paliapi_client import (
    AsyncPaliAPI,
    BadUserInputError,
    ConflictError,
    NotFoundError,
    PaliAPI,
    PaliAPIConnectionError,
    PaliAPITimeoutError,
    RateLimitedError,
    RetryPolicy,
    UnauthenticatedError,
    to_numpy,
)

from app.services import uploads
from app.services.ingestion import Ingestor
from app.settings import settings
from tests.conftest import Api
from tests.files import image, pdf
from tests.webhooks.receiver import Receiver

NO_RETRY = RetryPolicy(attempts=1)


def test_upload_a_file_wait_and_search(server: str, alice: Api, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf(pages=2, title="Quarterly revenue"))
    progress: list[tuple[int, int]] = []
    with PaliAPI(server, str(alice.token)) as api:
        created = api.create_collection("reports", {"team": "finance"})
        assert (created.name, created.metadata) == ("reports", {"team": "finance"})
        document = api.upload(
            path,
            collection="reports",
            metadata={"year": 2024},
            progress=lambda *p: progress.append(p),
        )
        assert (document.name, document.status.value, document.page_count) == (
            "report.pdf",
            "READY",
            2,
        )
        assert progress[-1] == (path.stat().st_size, path.stat().st_size)

        results = api.search("revenue", collection="reports", top_k=2)
        assert [r.rank for r in results] == [1, 2]
        assert {r.page.number for r in results} == {1, 2}
        assert results[0].document.name == "report.pdf"
        assert results[0].collection.name == "reports"
        assert results[0].score >= results[1].score

        filtered = api.search("revenue", document_filter={"year": {"$gt": 2030}})
        assert filtered == []


def test_bytes_without_wait_then_watch_to_ready(server: str, alice: Api) -> None:
    with PaliAPI(server, str(alice.token)) as api:
        api.create_collection("inbox")
        document = api.upload(pdf(pages=1), collection="inbox", name="scan.pdf", wait=False)
        assert document.status.value in {"PENDING", "PROCESSING", "READY"}
        statuses = [update.status.value for update in api.watch("inbox", "scan.pdf")]
        assert statuses[-1] == "READY"
        assert api.document("inbox", "scan.pdf").page_count == 1


def test_pagination_iterates_every_page_of_a_connection(server: str, alice: Api) -> None:
    with PaliAPI(server, str(alice.token)) as api:
        for index in range(5):
            api.create_collection(f"c{index}", {"index": index})
        names = [c.name for c in api.collections(page_size=2)]
        assert sorted(names) == [f"c{i}" for i in range(5)]
        assert [c.name for c in api.collections(filter={"index": {"$gte": 3}}, page_size=1)] in (
            ["c3", "c4"],
            ["c4", "c3"],
        )


def test_errors_are_typed_by_code(server: str, alice: Api, bob: Api) -> None:
    with PaliAPI(server, str(alice.token), retry=NO_RETRY) as api:
        api.create_collection("mine")
        with pytest.raises(ConflictError) as conflict:
            api.create_collection("mine")
        assert conflict.value.code == "CONFLICT"
        with pytest.raises(BadUserInputError):
            api.search("x", top_k=0)
        with pytest.raises(NotFoundError):
            api.upload(b"%PDF-1.4", collection="nowhere", name="a.pdf")
    with PaliAPI(server, str(bob.token)) as other, pytest.raises(NotFoundError):
        other.collection("mine")
    with (
        PaliAPI(server, "not-a-token", retry=NO_RETRY) as anonymous,
        pytest.raises(UnauthenticatedError),
    ):
        anonymous.search("x")


class _Flaky(http.server.BaseHTTPRequestHandler):
    """Answers RATE_LIMITED (429 with retryAfter) twice, then a real GraphQL result."""

    calls = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        type(self).calls += 1
        body: dict[str, Any]
        if type(self).calls <= 2:
            status, body = (
                429,
                {
                    "data": None,
                    "errors": [
                        {
                            "message": "slow down",
                            "extensions": {"code": "RATE_LIMITED", "retryAfter": 0.01},
                        }
                    ],
                },
            )
        else:
            status, body = 200, {"data": {"deleteCollection": True}}
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def flaky_server() -> Iterator[str]:
    _Flaky.calls = 0
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_rate_limited_is_retried_with_backoff_then_raised(flaky_server: str) -> None:
    with PaliAPI(flaky_server, "t", retry=RetryPolicy(attempts=3)) as api:
        assert api.delete_collection("x") is True
    assert _Flaky.calls == 3
    _Flaky.calls = 0
    with (
        PaliAPI(flaky_server, "t", retry=RetryPolicy(attempts=2)) as api,
        pytest.raises(RateLimitedError) as error,
    ):
        api.delete_collection("x")
    assert error.value.retry_after == 0.01


def test_connection_errors_are_retried_then_raised() -> None:
    policy = RetryPolicy(attempts=2, backoff_s=0.01)
    with (
        PaliAPI("http://127.0.0.1:9", "t", retry=policy) as api,
        pytest.raises(PaliAPIConnectionError),
    ):
        api.search("x")


async def test_async_client_has_the_same_methods(server: str, alice: Api) -> None:
    async with AsyncPaliAPI(server, str(alice.token)) as api:
        await api.create_collection("async")
        document = await api.upload(pdf(pages=1), collection="async", name="a.pdf", wait=False)
        updates = [update.status.value async for update in api.watch("async", document.name)]
        assert updates[-1] == "READY"
        results = await api.search("anything", collection="async", top_k=1)
        assert results[0].document.name == "a.pdf"
        assert [d.name async for d in api.documents("async", page_size=1)] == ["a.pdf"]
        with pytest.raises(NotFoundError):
            await api.document("async", "missing.pdf")


def test_watch_raises_the_typed_error_the_subscription_ends_with(server: str, alice: Api) -> None:
    with PaliAPI(server, str(alice.token)) as api:
        api.create_collection("inbox")
        with pytest.raises(NotFoundError) as missing:
            list(api.watch("inbox", "missing.pdf"))
        assert missing.value.code == "NOT_FOUND"
        with pytest.raises(NotFoundError):
            list(api.watch("no-such-collection", "a.pdf"))
    with PaliAPI(server, "not-a-token") as anonymous, pytest.raises(UnauthenticatedError):
        list(anonymous.watch("inbox", "missing.pdf"))


async def test_async_watch_raises_not_found(server: str, alice: Api) -> None:
    async with AsyncPaliAPI(server, str(alice.token)) as api:
        await api.create_collection("inbox")
        with pytest.raises(NotFoundError) as missing:
            _ = [update async for update in api.watch("inbox", "missing.pdf")]
        assert missing.value.code == "NOT_FOUND"


SLOW_STORE_S = 3.0


@pytest.fixture
def slow_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The server stores uploads, then takes SLOW_STORE_S more to answer; sets the event then."""
    answered = threading.Event()
    store = uploads.upload_document

    async def slow(**kwargs: Any) -> Any:
        try:
            row = await store(**kwargs)
            await asyncio.sleep(SLOW_STORE_S)
            return row
        finally:
            answered.set()

    monkeypatch.setattr(uploads, "upload_document", slow)
    yield answered
    answered.wait(20)  # the server is done with the request before the tables are emptied


def test_an_upload_whose_answer_times_out_is_not_sent_again(
    server: str, alice: Api, slow_store: threading.Event
) -> None:
    retry = RetryPolicy(attempts=3, backoff_s=0.01)
    with PaliAPI(server, str(alice.token), timeout=1.0, retry=retry) as api:
        api.create_collection("inbox")
        with pytest.raises(PaliAPITimeoutError) as timeout:
            api.upload(pdf(pages=1), collection="inbox", name="slow.pdf")
        assert timeout.value.code == "CONNECTION_ERROR"
        assert timeout.value.request_sent
        assert "may have carried it out" in str(timeout.value)
        assert "document('inbox', 'slow.pdf')" in str(timeout.value)
        assert slow_store.wait(20)
        # One upload reached the server, and it was stored.
        assert [d.name for d in api.documents("inbox")] == ["slow.pdf"]


async def test_async_upload_whose_answer_times_out_is_not_sent_again(
    server: str, alice: Api, slow_store: threading.Event
) -> None:
    retry = RetryPolicy(attempts=3, backoff_s=0.01)
    async with AsyncPaliAPI(server, str(alice.token), timeout=1.0, retry=retry) as api:
        await api.create_collection("inbox")
        with pytest.raises(PaliAPITimeoutError, match="may have carried it out"):
            await api.upload(pdf(pages=1), collection="inbox", name="slow.pdf")
        assert await asyncio.to_thread(slow_store.wait, 20)
        assert [d.name async for d in api.documents("inbox")] == ["slow.pdf"]


def test_upload_waits_for_ingestion_longer_than_the_client_timeout(
    server: str, alice: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`wait=True` polls the document: ingestion is not bounded by the request timeout."""
    render = Ingestor._render

    async def slow_render(self: Ingestor, *args: Any) -> Any:
        await asyncio.sleep(4.0)
        return await render(self, *args)

    monkeypatch.setattr(Ingestor, "_render", slow_render)
    with PaliAPI(server, str(alice.token), timeout=2.0, retry=NO_RETRY) as api:
        api.create_collection("inbox")
        document = api.upload(pdf(pages=2), collection="inbox", name="big.pdf")
        assert (document.name, document.status.value, document.page_count) == (
            "big.pdf",
            "READY",
            2,
        )
        assert [d.name for d in api.documents("inbox")] == ["big.pdf"]


class _Slow(http.server.BaseHTTPRequestHandler):
    """Reads each request, then answers only after the client has given up."""

    calls = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        type(self).calls += 1
        time.sleep(1.0)
        payload = b'{"data": null}'
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass  # the client hung up

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def slow_server() -> Iterator[str]:
    _Slow.calls = 0
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_read_timeout_retries_queries_but_not_mutations(slow_server: str) -> None:
    retry = RetryPolicy(attempts=3, backoff_s=0.01)
    with PaliAPI(slow_server, "t", timeout=0.3, retry=retry) as api:
        with pytest.raises(PaliAPITimeoutError) as query:
            api.search("x")
        assert _Slow.calls == 3
        assert "may have" not in str(query.value)
        _Slow.calls = 0
        with pytest.raises(PaliAPITimeoutError, match=r"collection\('x'\) raises NotFoundError"):
            api.delete_collection("x")
        assert _Slow.calls == 1


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_mutation_that_never_reached_the_server_is_retried() -> None:
    """Connection refused: nothing was sent, so even an upload is safe to send again."""
    attempts: list[httpx.Request] = []
    retry = RetryPolicy(attempts=3, backoff_s=0.01)
    with PaliAPI(f"http://127.0.0.1:{_closed_port()}", "t", retry=retry) as api:
        api._http.event_hooks["request"].append(attempts.append)
        with pytest.raises(PaliAPIConnectionError) as refused:
            api.upload(pdf(pages=1), collection="inbox", name="a.pdf")
        assert len(attempts) == 3
        assert not refused.value.request_sent
        assert "the request was not sent" in str(refused.value)
        with pytest.raises(PaliAPIConnectionError):
            api.create_collection("inbox")
        assert len(attempts) == 6


async def test_async_mutation_that_never_reached_the_server_is_retried() -> None:
    attempts: list[httpx.Request] = []

    async def count(request: httpx.Request) -> None:
        attempts.append(request)

    retry = RetryPolicy(attempts=2, backoff_s=0.01)
    async with AsyncPaliAPI(f"http://127.0.0.1:{_closed_port()}", "t", retry=retry) as api:
        api._http.event_hooks["request"].append(count)
        with pytest.raises(PaliAPIConnectionError) as refused:
            await api.delete_document("inbox", "a.pdf")
        assert not refused.value.request_sent
        assert len(attempts) == 2


def test_embed_queries_and_images_as_arrays(server: str, alice: Api, tmp_path: Path) -> None:
    chart = tmp_path / "chart.png"
    chart.write_bytes(image("PNG"))
    with PaliAPI(server, str(alice.token)) as api:
        first, second = api.embed(["revenue by quarter", "head count"])
        vectors = to_numpy(first)
        assert vectors.dtype == np.float16 and vectors.shape == (first.tokens, first.dim)
        assert first.dim == 128 and not np.array_equal(vectors, to_numpy(second)[: first.tokens])
        # The same image as a path and as bytes: one multi-vector each, equal.
        by_path, by_bytes = api.embed(images=[chart, chart.read_bytes()])
        assert np.array_equal(to_numpy(by_path), to_numpy(by_bytes))
        with pytest.raises(BadUserInputError, match="exactly one of `queries` or `images`"):
            api.embed(["x"], images=[chart])


async def test_async_embed(server: str, alice: Api) -> None:
    async with AsyncPaliAPI(server, str(alice.token)) as api:
        [query] = await api.embed(["revenue by quarter"])
        [picture] = await api.embed(images=[image("PNG")])
    with PaliAPI(server, str(alice.token)) as api:
        [again] = api.embed(["revenue by quarter"])
    assert np.array_equal(to_numpy(query), to_numpy(again))
    assert to_numpy(picture).shape[1] == 128


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    """A webhook receiver on loopback (which the server may then call) verifying signatures."""
    monkeypatch.setattr(settings, "allow_private_urls", True)
    with Receiver().running() as running:
        yield running


def test_webhooks_create_list_test_deliveries_and_delete(
    server: str, alice: Api, bob: Api, receiver: Receiver
) -> None:
    own_secret = "whsec_" + base64.b64encode(bytes(range(24))).decode()
    with PaliAPI(server, str(alice.token), retry=NO_RETRY) as api:
        created = api.create_webhook(receiver.url, ["document.ready", "document.failed"])
        assert (created.url, created.events) == (
            receiver.url,
            ["document.ready", "document.failed"],
        )
        assert created.secret is not None and created.secret.startswith("whsec_")
        receiver.secret = created.secret
        other = api.create_webhook(
            "http://127.0.0.1:9/other", ("collection.deleted",), secret=own_secret
        )
        assert other.secret == own_secret
        # Oldest first, one per page; the secret is shown at creation only.
        listed = [(w.id, w.url, w.secret) for w in api.webhooks(page_size=1)]
        assert listed == [(created.id, receiver.url, None), (other.id, other.url, None)]

        assert api.test_webhook(created.id) is True
        receiver.wait_until(lambda got: bool(got))
        [request] = receiver.snapshot()
        assert request.verified, request  # signed with the secret from create_webhook
        assert request.payload["type"] == "webhook.test"
        assert request.payload["data"]["webhook"] == {"id": created.id, "url": receiver.url}

        deadline = time.monotonic() + 30
        while [d.status.value for d in api.webhook_deliveries(created.id)] != ["SUCCEEDED"]:
            assert time.monotonic() < deadline, list(api.webhook_deliveries(created.id))
            time.sleep(0.1)
        [delivery] = api.webhook_deliveries(created.id, page_size=1)
        assert (delivery.event_type, delivery.event_id) == ("webhook.test", request.webhook_id)
        assert (delivery.attempts, delivery.last_status_code, delivery.last_error) == (1, 200, None)
        assert delivery.payload == request.payload
        assert list(api.webhook_deliveries(other.id)) == []

        with pytest.raises(BadUserInputError, match=r"unknown: 'document\.updated'"):
            api.create_webhook(receiver.url, ["document.updated"])
        with PaliAPI(server, str(bob.token), retry=NO_RETRY) as stranger:
            assert list(stranger.webhooks()) == []
            with pytest.raises(NotFoundError):
                list(stranger.webhook_deliveries(created.id))
            with pytest.raises(NotFoundError):
                stranger.delete_webhook(created.id)

        assert api.delete_webhook(created.id) is True
        assert api.delete_webhook(other.id) is True
        with pytest.raises(NotFoundError):
            api.delete_webhook(created.id)
        with pytest.raises(NotFoundError):
            api.test_webhook(created.id)
        with pytest.raises(NotFoundError):
            next(api.webhook_deliveries(created.id))
        assert list(api.webhooks()) == []


async def test_async_webhooks(server: str, alice: Api, receiver: Receiver) -> None:
    async with AsyncPaliAPI(server, str(alice.token), retry=NO_RETRY) as api:
        created = await api.create_webhook(receiver.url, ["document.ready"])
        assert created.secret is not None
        receiver.secret = created.secret
        assert [(w.id, w.secret) async for w in api.webhooks()] == [(created.id, None)]
        assert await api.test_webhook(created.id) is True
        for _ in range(300):
            deliveries = [d async for d in api.webhook_deliveries(created.id)]
            if [d.status.value for d in deliveries] == ["SUCCEEDED"]:
                break
            await asyncio.sleep(0.1)
        assert [(d.event_type, d.status.value) for d in deliveries] == [
            ("webhook.test", "SUCCEEDED")
        ]
        assert [r.verified for r in receiver.snapshot()] == [True]
        assert await api.delete_webhook(created.id) is True
        with pytest.raises(NotFoundError):
            [d async for d in api.webhook_deliveries(created.id)]
