"""Turns on a model: the engine runs one pass at a time, and queries jump the queue."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from gpu.turns import Turns


def test_queries_take_the_engine_before_queued_page_batches() -> None:
    """A page batch on the engine and another waiting: a query that comes after both runs
    before the waiting batch (a search never queues behind an ingest)."""
    turns = Turns()
    order: list[str] = []

    def take(name: str, query: bool) -> None:
        with turns.turn(query=query):
            order.append(name)

    def until(condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + 5
        while not condition():
            assert time.monotonic() < deadline
            time.sleep(0.001)

    with turns.turn(query=False):  # a page batch running
        pages = threading.Thread(target=take, args=("pages", False))
        pages.start()
        until(lambda: turns.waiting[False] == 1)
        query = threading.Thread(target=take, args=("query", True))
        query.start()
        until(lambda: turns.waiting[True] == 1)
        assert order == []  # both wait for the running pass
    pages.join(5)
    query.join(5)
    assert order == ["query", "pages"]
