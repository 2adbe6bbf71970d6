"""Turns on a model: one forward pass at a time, a waiting query before waiting page batches."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager


class Turns:
    """The engine's forward passes, one at a time, queries first: a search waits for the
    pass that is running, never for the page batches queued behind it (ingestion sends
    several at once, app/services/ingestion.py). Within each kind, first come, first
    served: a user's one batch is never passed over by batches that came after it. Threads
    take turns: forward passes run in threads off the event loop."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._busy = False
        self._queues: dict[bool, deque[object]] = {True: deque(), False: deque()}  # by `query`

    @property
    def waiting(self) -> dict[bool, int]:
        """How many wait for a turn, by `query`."""
        return {kind: len(queue) for kind, queue in self._queues.items()}

    @contextmanager
    def turn(self, *, query: bool) -> Iterator[None]:
        ticket, queue = object(), self._queues[query]
        with self._changed:
            queue.append(ticket)
            try:
                self._changed.wait_for(
                    lambda: (
                        not self._busy and queue[0] is ticket and (query or not self._queues[True])
                    )
                )
            finally:
                queue.remove(ticket)
            self._busy = True
        try:
            yield
        finally:
            with self._changed:
                self._busy = False
                self._changed.notify_all()
