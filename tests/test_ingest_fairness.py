"""Ingest fairness: one user's big uploads never starve another user's small one.

The live server's in-process worker runs several jobs at once, with a per-user cap
(`PALIAPI_WORKER_CONCURRENCY`, `PALIAPI_MAX_CONCURRENT_INGESTS_PER_USER`): Alice queues more
large documents than the worker has slots; Bob's one-page document is READY before any of
hers. The figures (Bob's time to READY alone and behind Alice's queue) are printed.
"""

from __future__ import annotations

import time

from app.settings import settings
from tests import files
from tests.conftest import Api
from tests.resolvers.test_collections import create
from tests.resolvers.test_uploads import DOC, upload_file

# Hers must outlast his by far: at 40 pages, one of hers already running when he uploaded
# finished within his 0.95 s in a CI run; 120 pages take several seconds each.
BIG_PAGES = 120


def statuses(api: Api, names: list[str]) -> list[str]:
    return [api.data(DOC % name)["document"]["status"] for name in names]


def wait_for(api: Api, names: list[str], states: set[str], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not all(s in states for s in statuses(api, names)):
        assert time.monotonic() < deadline, statuses(api, names)
        time.sleep(0.2)


def time_to_ready(api: Api, name: str) -> float:
    started = time.monotonic()
    document = upload_file(api, name, files.pdf(1, title=name))["data"]["uploadDocument"]
    assert document["status"] == "READY", document
    return time.monotonic() - started


def test_a_small_upload_is_ready_before_a_big_queue_of_another_user(alice: Api, bob: Api) -> None:
    create(alice, "docs")
    create(bob, "docs")
    alone = time_to_ready(bob, "alone.pdf")

    big = [f"big-{i}.pdf" for i in range(settings.worker_concurrency + 1)]
    for name in big:
        body = upload_file(alice, name, files.pdf(BIG_PAGES, title=name), wait=False)
        assert body["data"]["uploadDocument"]["status"] == "PENDING", body
    # Alice's documents hold every slot she may have before Bob arrives.
    deadline = time.monotonic() + 60
    while statuses(alice, big).count("PROCESSING") < settings.max_concurrent_ingests_per_user:
        assert time.monotonic() < deadline, statuses(alice, big)
        time.sleep(0.05)
    started = time.monotonic()
    behind = time_to_ready(bob, "small.pdf")
    alice_states = statuses(alice, big)
    wait_for(alice, big, {"READY"})
    alice_done = time.monotonic() - started
    print(
        f"\nBob's 1-page document READY in {alone:.2f} s alone, {behind:.2f} s behind "
        f"Alice's {len(big)} x {BIG_PAGES} pages (her queue done {alice_done:.1f} s after he "
        f"uploaded; states when his was READY: {alice_states})"
    )
    assert "READY" not in alice_states
    # Never more of Alice's running at once than her cap allows.
    assert alice_states.count("PROCESSING") <= settings.max_concurrent_ingests_per_user
