"""Turns on a model: one forward pass at a time, a waiting query before waiting page batches."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Turns:
    """The engine's forward passes, one at a time, queries first: a search waits for the
    pass that is running, never for the page batches queued behind it (ingestion sends
    several at once, app/services/ingestion.py). Threads take turns: forward passes run in
    threads off the event loop."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._busy = False
        self.waiting = {True: 0, False: 0}  # by `query`

    @contextmanager
    def turn(self, *, query: bool) -> Iterator[None]:
        with self._changed:
            self.waiting[query] += 1
            try:
                self._changed.wait_for(lambda: not self._busy and (query or not self.waiting[True]))
            finally:
                self.waiting[query] -= 1
            self._busy = True
        try:
            yield
        finally:
            with self._changed:
                self._busy = False
                self._changed.notify_all()
