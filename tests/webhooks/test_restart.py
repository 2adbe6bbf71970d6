"""At least once, across a crash: `paliapi serve` (its own process, its own database) is
SIGKILLed while a delivery is in flight; after a restart the event goes out again under the
same `webhook-id`, and every event recorded reaches the receiver."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from app.db import migrate
from app.db.embedded import start_embedded_postgres
from app.db.engine import Database
from tests.conftest import Api, make_user
from tests.webhooks.queries import TEST, create_webhook, settled, wait_for_deliveries
from tests.webhooks.receiver import Receiver

ROOT = Path(__file__).resolve().parents[2]
CREATE_COLLECTION = "mutation($name: String!) { createCollection(input: {name: $name}) { id } }"
DELETE_COLLECTION = "mutation($name: String!) { deleteCollection(name: $name) }"


@pytest.fixture(scope="module")
def restart_url(data_dir: Path) -> str:
    """A database of its own: the session's in-process worker must not take these jobs."""
    url = start_embedded_postgres(data_dir, database="webhook_restart_tests")
    migrate.upgrade(url)
    return url


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(
    database_url: str, work: Path, name: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PALIAPI_DATA_DIR": str(work),
        "PALIAPI_INPROCESS_WORKER": "true",
        "PALIAPI_ALLOW_PRIVATE_URLS": "true",  # the receiver is on loopback
        "PALIAPI_JOB_HEARTBEAT_S": "2",  # a dead worker's job is picked again after 2 s
        "PALIAPI_WEBHOOK_RETRY_DELAYS_S": "0.2,0.4,0.8,1.6",
        "PALIAPI_WEBHOOK_TIMEOUT_S": "60",  # the held request outlives the process
        "EMBEDDINGS_PRELOAD": "false",
        "PALIAPI_LOG_FORMAT": "json",
    }
    with (work / f"{name}.log").open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                assert server.poll() is None, (work / f"{name}.log").read_text()[-3000:]
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
            yield base, server
        finally:
            if server.poll() is None:
                server.send_signal(signal.SIGINT)
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()


async def test_a_delivery_cut_by_a_crash_is_sent_again_under_its_id(
    restart_url: str, tmp_path: Path
) -> None:
    database = Database(restart_url, pool_size=1)
    try:
        _, token = await make_user(database, "crash")
    finally:
        await database.dispose()
    started = time.monotonic()
    with Receiver().running() as receiver:
        receiver.hold_first = True
        with (
            serve(restart_url, tmp_path, "first") as (base, server),
            httpx.Client(base_url=base, timeout=30) as http,
        ):
            api = Api(http, token)
            webhook = create_webhook(api, receiver.url, ["collection.deleted"])
            receiver.secret = webhook["secret"]
            for name in ("a", "b", "c"):
                api.data(CREATE_COLLECTION, {"name": name})
            api.data(TEST, {"id": webhook["id"]})
            assert receiver.held.wait(30), "the first delivery never arrived"
            held = receiver.snapshot()[0]
            # Two more events while the first is held: sent alongside it.
            api.data(DELETE_COLLECTION, {"name": "a"})
            api.data(DELETE_COLLECTION, {"name": "b"})
            receiver.wait_until(lambda got: len(got) == 3)
            server.send_signal(signal.SIGKILL)  # mid-delivery: the held request is unanswered
            server.wait()
        receiver.release.set()
        killed_at = time.monotonic()
        with (
            serve(restart_url, tmp_path, "second") as (base, _),
            httpx.Client(base_url=base, timeout=30) as http,
        ):
            api = Api(http, token)
            api.data(DELETE_COLLECTION, {"name": "c"})  # and one after the restart
            receiver.wait_until(
                lambda got: (
                    sum(r.webhook_id == held.webhook_id for r in got) >= 2
                    and len({r.webhook_id for r in got}) == 4
                ),
                timeout=60,
            )
            again = next(r for r in receiver.snapshot()[1:] if r.webhook_id == held.webhook_id)
            log = wait_for_deliveries(api, webhook["id"], lambda f: len(f) == 4 and settled(f))

    got = receiver.snapshot()
    recorded = {d["eventId"]: d for d in log}
    seen = {r.webhook_id for r in got}
    print(
        f"\nwebhooks restart: {len(got)} requests for {len(seen)} events"
        f" ({sorted(r.payload['type'] for r in got)}), {sum(r.verified for r in got)}/{len(got)}"
        f" verified; held {held.payload['type']} {held.webhook_id} sent again"
        f" {again.at - killed_at:.1f} s after the SIGKILL under the same id; delivery log"
        f" {[(d['eventType'], d['status'], d['attempts']) for d in log]}; test took"
        f" {time.monotonic() - started:.1f} s"
    )
    assert all(r.verified for r in got)
    assert seen == set(recorded)  # no event lost, none invented
    assert all(d["status"] == "SUCCEEDED" for d in log), log
    assert recorded[held.webhook_id]["eventType"] == "webhook.test"
    assert recorded[held.webhook_id]["attempts"] == 2  # the one cut short counts
    assert again.payload == held.payload  # the same event, byte for byte in JSON terms
    assert [r.webhook_id for r in got].count(held.webhook_id) == 2
