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


async def _trims_after(trims: list[int], seconds: float) -> list[int]:
    for _ in range(int(seconds / 0.01)):  # the trim runs in a thread
        if trims:
            break
        await asyncio.sleep(0.01)
    return trims


@glibc
async def test_the_heap_is_trimmed_once_no_search_is_in_flight(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert heap._TRIM is not None  # glibc's malloc_trim, found
    trims: list[int] = []
    monkeypatch.setattr(heap, "_TRIM", trims.append)
    monkeypatch.setattr(heap, "IDLE_S", 0.5)
    async with trimmed_when_idle():
        async with trimmed_when_idle():
            pass
        await asyncio.sleep(0.6)
        assert trims == []  # one search still in flight: a busy server is left alone
    # The last one ended; a search that starts within the idle wait puts the trim off again.
    await asyncio.sleep(0.1)
    async with trimmed_when_idle():
        await asyncio.sleep(0.6)
        assert trims == []
    assert await _trims_after(trims, 0.1) == []  # not idle long enough yet
    assert await _trims_after(trims, 3.0) == [0]
