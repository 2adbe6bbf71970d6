"""Events reach a real receiver on loopback, signed, retried with backoff, and never sent to
an address the SSRF guard refuses, by the in-process worker of the session's server."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from app.db.engine import Database
from app.ingest.fetch import UrlPolicy
from app.jobs import enqueue_ingest
from app.services import outbound
from app.settings import settings
from tests import files
from tests.conftest import Api, add_document
from tests.resolvers.test_collections import create
from tests.webhooks.queries import TEST, create_webhook, deliveries, settled, wait_for_deliveries
from tests.webhooks.receiver import Receiver

UPLOAD = """
mutation($file: Upload) {
  uploadDocument(input: {collectionName: "docs", name: "report.pdf", file: $file, wait: true}) {
    id name status pageCount collection { id }
  }
}"""
DELETE_DOCUMENT = 'mutation { deleteDocument(collectionName: "docs", name: "report.pdf") }'
DELETE_COLLECTION = 'mutation { deleteCollection(name: "docs") }'
DOCUMENT = '{ document(collectionName: "docs", name: "%s") { status error } }'
DELAYS = (0.5, 1.0, 2.0)  # four attempts in all
# How late a retry may start: the delivery manager polls for due retries every second.
POLL_S = 1.0


@pytest.fixture(autouse=True)
def _fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Receivers listen on loopback; retries come after fractions of a second."""
    monkeypatch.setattr(settings, "allow_private_urls", True)
    monkeypatch.setattr(settings, "webhook_retry_delays_s", DELAYS)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver().running() as running:
        yield running


async def wait_for_status(api: Api, name: str, status: str) -> dict[str, Any]:
    import asyncio

    for _ in range(600):
        document: dict[str, Any] = api.data(DOCUMENT % name)["document"]
        if document["status"] == status:
            return document
        await asyncio.sleep(0.1)
    raise AssertionError(f"{name} never became {status}: {document}")


async def test_every_event_arrives_signed(alice: Api, db: Database, receiver: Receiver) -> None:
    webhook = create_webhook(alice, receiver.url)
    receiver.secret = webhook["secret"]
    create(alice, "docs")

    uploaded = alice.upload(UPLOAD, {"file": None}, {"file": ("report.pdf", files.pdf(2))})
    document = uploaded["data"]["uploadDocument"]
    assert document["status"] == "READY", uploaded
    # A document whose stored file is gone: the worker fails it (the real ingest path).
    await add_document(db, owner_name="alice", collection="docs", name="broken.pdf")
    async with db.transaction() as session:
        owner_id, broken_id = (await session.execute(_id_of("broken.pdf"))).one()
        await enqueue_ingest(session, owner_id, broken_id)
    failed = await wait_for_status(alice, "broken.pdf", "FAILED")
    alice.data(DELETE_DOCUMENT)
    alice.data(DELETE_COLLECTION)
    assert alice.data(TEST, {"id": webhook["id"]}) == {"testWebhook": True}

    expected = {
        "document.ready",
        "document.failed",
        "document.deleted",
        "collection.deleted",
        "webhook.test",
    }
    receiver.wait_until(lambda got: {r.payload["type"] for r in got} >= expected)
    log = wait_for_deliveries(
        alice, webhook["id"], lambda found: len(found) == 5 and settled(found)
    )
    got = receiver.snapshot()
    print(
        f"\nwebhooks: {len(got)} requests, event types {sorted(r.payload['type'] for r in got)},"
        f" {sum(r.verified for r in got)}/{len(got)} signatures verified (standardwebhooks)"
    )
    assert all(r.verified for r in got), got
    assert all(r.signature.startswith("v1,") and r.webhook_id.startswith("msg_") for r in got)
    # One request per event here (nothing failed), each under its delivery's eventId.
    assert sorted(r.webhook_id for r in got) == sorted(d["eventId"] for d in log)
    assert all(d["status"] == "SUCCEEDED" and d["attempts"] == 1 for d in log), log
    assert all(d["lastError"] is None and d["lastStatusCode"] == 200 for d in log), log

    by_type = {r.payload["type"]: r.payload for r in got}
    ready = by_type["document.ready"]["data"]
    assert ready["id"] == document["id"] and ready["name"] == "report.pdf"
    assert ready["collection"] == {"id": document["collection"]["id"], "name": "docs"}
    assert (ready["status"], ready["pageCount"], ready["error"]) == ("READY", 2, None)
    broken = by_type["document.failed"]["data"]
    assert (broken["name"], broken["status"], broken["error"]) == (
        "broken.pdf",
        "FAILED",
        failed["error"],
    )
    assert by_type["document.deleted"]["data"]["id"] == document["id"]
    assert by_type["collection.deleted"]["data"] == {
        "id": document["collection"]["id"],
        "name": "docs",
        "metadata": {},
        "documentCount": 1,  # broken.pdf, deleted with it (no event of its own)
    }
    assert by_type["webhook.test"]["data"]["webhook"] == {"id": webhook["id"], "url": receiver.url}
    assert all(set(p) == {"type", "timestamp", "data"} for p in by_type.values())


async def test_an_overwrite_deletes_the_old_document(alice: Api, receiver: Receiver) -> None:
    webhook = create_webhook(alice, receiver.url, ["document.deleted", "document.ready"])
    receiver.secret = webhook["secret"]
    create(alice, "docs")
    first = alice.upload(UPLOAD, {"file": None}, {"file": ("report.pdf", files.pdf(1))})
    overwrite = UPLOAD.replace("wait: true}", "wait: true, overwrite: true}")
    second = alice.upload(overwrite, {"file": None}, {"file": ("report.pdf", files.pdf(2))})
    old, new = first["data"]["uploadDocument"], second["data"]["uploadDocument"]
    assert old["id"] != new["id"] and new["pageCount"] == 2
    receiver.wait_until(lambda got: len(got) == 3)
    events = sorted((r.payload["type"], r.payload["data"]["id"]) for r in receiver.snapshot())
    assert events == sorted(
        [
            ("document.ready", old["id"]),
            ("document.deleted", old["id"]),
            ("document.ready", new["id"]),
        ]
    )


def _id_of(name: str) -> Any:
    from sqlalchemy import text

    return text("SELECT owner_id, id FROM documents WHERE name = :n").bindparams(n=name)


async def test_only_subscribed_events_are_sent(alice: Api, receiver: Receiver) -> None:
    webhook = create_webhook(alice, receiver.url, ["document.ready"])
    receiver.secret = webhook["secret"]
    create(alice, "docs")
    alice.data(DELETE_COLLECTION)  # not subscribed: nothing recorded
    alice.data(TEST, {"id": webhook["id"]})  # always sent
    receiver.wait_until(lambda got: len(got) == 1)
    assert receiver.types() == ["webhook.test"]
    assert [d["eventType"] for d in deliveries(alice, webhook["id"])] == ["webhook.test"]


async def test_500s_are_retried_with_backoff_under_one_id(alice: Api) -> None:
    with (
        Receiver(fail_first=3).running() as flaky,
        Receiver(always_fail=True).running() as down,
    ):
        hooks = []
        for receiver in (flaky, down):
            webhook = create_webhook(alice, receiver.url)
            receiver.secret = webhook["secret"]
            alice.data(TEST, {"id": webhook["id"]})
            hooks.append(webhook)
        flaky.wait_until(lambda got: len(got) == 4)
        down.wait_until(lambda got: len(got) == 4)
        logs = [wait_for_deliveries(alice, h["id"], settled) for h in hooks]
        for name, receiver in (("flaky", flaky), ("down", down)):
            got = receiver.snapshot()
            gaps = [b.at - a.at for a, b in itertools.pairwise(got)]
            print(
                f"\nwebhooks {name}: answers {[r.answered for r in got]}, gaps"
                f" {[round(g, 2) for g in gaps]} s (schedule {DELAYS} ±20%), ids"
                f" {sorted({r.webhook_id for r in got})}, {sum(r.verified for r in got)}"
                f"/{len(got)} verified"
            )
            assert len({r.webhook_id for r in got}) == 1  # the same webhook-id every time
            assert all(r.verified for r in got)
            for gap, delay in zip(gaps, DELAYS, strict=True):
                assert delay * 0.8 - 0.05 <= gap <= delay * 1.2 + POLL_S + 0.5, (gaps, DELAYS)
        [succeeded], [failed] = logs
        print(f"webhooks delivery log: flaky {succeeded}\nwebhooks delivery log: down {failed}")
        assert (succeeded["status"], succeeded["attempts"]) == ("SUCCEEDED", 4)
        assert succeeded["lastError"] == "HTTP 500: receiver says no"
        assert succeeded["lastStatusCode"] == 200 and succeeded["nextAttemptAt"] is None
        assert (failed["status"], failed["attempts"]) == ("FAILED", 4)
        assert failed["lastError"] == "HTTP 500: receiver says no"
        assert failed["lastStatusCode"] == 500
        # No fifth attempt once FAILED.
        import asyncio

        await asyncio.sleep(1.0)
        assert len(down.snapshot()) == 4


class Rebinding:
    """A DNS whose answers the test changes: public at creation, loopback at delivery."""

    def __init__(self) -> None:
        self.answers = ["93.184.216.34"]
        self.asked = 0

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked += 1
        return list(self.answers)


async def test_a_name_that_now_points_inside_is_refused_at_delivery(
    alice: Api, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = int(receiver.url.split(":")[2].split("/")[0])
    dns = Rebinding()
    monkeypatch.setattr(settings, "allow_private_urls", False)
    monkeypatch.setattr(settings, "webhook_retry_delays_s", (0.1, 0.1, 0.1))
    monkeypatch.setattr(
        outbound,
        "url_policy",
        lambda: UrlPolicy(allowed_ports=frozenset({port}), resolver=dns),
    )
    webhook = create_webhook(alice, f"http://hooks.example:{port}/hooks")
    dns.answers = ["127.0.0.1"]  # where the receiver listens: a connection would reach it
    alice.data(TEST, {"id": webhook["id"]})
    [delivery] = wait_for_deliveries(alice, webhook["id"], settled)
    print(
        f"\nwebhooks rebinding: {delivery['status']} after {delivery['attempts']} attempts,"
        f" lastError {delivery['lastError']!r}, receiver saw {len(receiver.snapshot())}"
    )
    assert delivery["status"] == "FAILED" and delivery["attempts"] == 4
    assert "non-public address (127.0.0.1)" in delivery["lastError"]
    assert delivery["lastStatusCode"] is None
    assert receiver.snapshot() == []  # refused before connecting
    assert dns.asked == 5  # at creation, then at every attempt
