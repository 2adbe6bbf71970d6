"""The process tuning the runtime applies at start: large frees return to the OS."""

from __future__ import annotations

import platform

import pytest

from app.heap import return_large_frees


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_glibc_accepts_the_fixed_mmap_threshold() -> None:
    assert return_large_frees()
