"""The process tuning the runtime applies: large frees return to the OS, and so does the
free heap once no search is in flight."""

from __future__ import annotations

import asyncio
import platform

import pytest

from app import heap
from app.heap import return_large_frees, trimmed_when_idle

glibc = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")


@glibc
def test_glibc_accepts_the_fixed_mmap_threshold() -> None:
    assert return_large_frees()


@glibc
async def test_the_last_search_to_end_trims_the_heap(monkeypatch: pytest.MonkeyPatch) -> None:
    assert heap._TRIM is not None  # glibc's malloc_trim, found
    trims: list[int] = []
    monkeypatch.setattr(heap, "_TRIM", trims.append)
    async with trimmed_when_idle():
        async with trimmed_when_idle():
            pass
        await asyncio.sleep(0.05)
        assert trims == []  # one search still in flight: a busy server is left alone
    for _ in range(100):  # the trim runs in a thread
        if trims:
            break
        await asyncio.sleep(0.01)
    assert trims == [0]
