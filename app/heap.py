"""Freed memory goes back to the OS: a fixed mmap threshold, and a trim when searches stop."""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter
LARGE = 1 << 20


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name) if name else None
    except OSError:
        return None


_LIBC = _libc()
# glibc's malloc_trim(0): hands the free pages inside the heap back (madvise). Absent: musl.
_TRIM: Callable[[int], int] | None = getattr(_LIBC, "malloc_trim", None)
IDLE_S = 1.0  # seconds without a search in flight before the trim
_in_flight = 0
_pending: asyncio.TimerHandle | None = None


def return_large_frees() -> bool:
    """Serve allocations of 1 MB and more by mmap, so freeing one unmaps it.

    glibc does so from 128 KB, but raises the threshold (up to 32 MB) each time such a block
    is freed; after that the multi-megabyte buffers of a search (the stored vectors it
    fetches and scores) come from the heap, and the peak of concurrent
    searches stays resident. Measured with bench.search (10k pages, hard data, sweeps and 8
    concurrent clients): the process grew 178 MB without this, 52 MB with it. A fresh mapping
    costs a page fault per 4 KB, so the hot paths keep their arrays under 1 MB
    (app/db/vectors.py). False where the C library has no `mallopt` (musl) or refuses."""
    try:
        return bool(_LIBC is not None and _LIBC.mallopt(M_MMAP_THRESHOLD, LARGE))
    except AttributeError:
        return False


@asynccontextmanager
async def trimmed_when_idle() -> AsyncIterator[None]:
    """Around a search: once none has been in flight for IDLE_S, free heap pages go back to
    the OS.

    A search at 100k pages holds ~2,000 candidates' centroids as small objects, so concurrent
    searches leave the heap fragmented at their peak: 8 clients grew the process 97 MB, and
    it stayed. A trim after every search kept that to 19 MB but cost 13% of throughput
    under load (2 ms each, contending for the heap's locks); one whenever the last search in
    flight ended still cost a client searching in sequence 7 ms a search (10k pages: p50 35
    -> 42 ms), the trim racing its next search. Waiting for an idle second costs a busy
    server nothing, and an idle one returns to its size. The trim runs in a thread."""
    global _in_flight, _pending
    if _pending is not None:  # busy again: no trim yet
        _pending.cancel()
        _pending = None
    _in_flight += 1
    try:
        yield
    finally:
        _in_flight -= 1
        if _in_flight == 0 and _TRIM is not None:
            _pending = asyncio.get_running_loop().call_later(IDLE_S, _trim_now)


def _trim_now() -> None:
    global _pending
    _pending = None
    if _TRIM is not None:
        asyncio.get_running_loop().run_in_executor(None, _TRIM, 0)
