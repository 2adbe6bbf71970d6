"""Turns on a model: the engine runs one pass at a time, and queries jump the queue."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from gpu.turns import Turns


def until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 5
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.001)


def queue_behind_a_running_pass(turns: Turns, arrivals: list[tuple[str, bool]]) -> list[str]:
    """With a page batch on the engine, `arrivals` (name, query) come one after another and
    wait; the order in which they then get their turns."""
    order: list[str] = []

    def take(name: str, query: bool) -> None:
        with turns.turn(query=query):
            order.append(name)

    threads = []
    with turns.turn(query=False):  # a page batch running
        for count, (name, query) in enumerate(arrivals, start=1):
            threads.append(threading.Thread(target=take, args=(name, query)))
            threads[-1].start()
            until(lambda count=count: sum(turns.waiting.values()) == count)  # type: ignore[misc]
        assert order == []  # all wait for the running pass
    for thread in threads:
        thread.join(5)
    return order


def test_queries_take_the_engine_before_queued_page_batches() -> None:
    """A page batch on the engine and another waiting: a query that comes after both runs
    before the waiting batch (a search never queues behind an ingest)."""
    order = queue_behind_a_running_pass(Turns(), [("pages", False), ("query", True)])
    assert order == ["query", "pages"]


def test_each_kind_is_first_come_first_served() -> None:
    """Page batches of several documents, and queries, get their turns in the order they
    came within their kind: one user's batch is never passed over by later ones."""
    arrivals = [(f"pages-{i}", False) for i in range(6)] + [("q-0", True), ("q-1", True)]
    order = queue_behind_a_running_pass(Turns(), arrivals)
    assert order == ["q-0", "q-1"] + [f"pages-{i}" for i in range(6)]
