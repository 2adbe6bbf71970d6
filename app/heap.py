"""Large freed buffers go back to the OS: a fixed mmap threshold for glibc's malloc."""

from __future__ import annotations

import ctypes
import ctypes.util

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter
LARGE = 1 << 20


def return_large_frees() -> bool:
    """Serve allocations of 1 MB and more by mmap, so freeing one unmaps it.

    glibc does so from 128 KB, but raises the threshold (up to 32 MB) each time such a block
    is freed; after that the rerank's 2-10 MB NumPy arrays come from the heap, and the peak of
    concurrent searches stays resident. Measured with bench.search (10k pages, hard data,
    sweeps and 8 concurrent clients): the process grew 178 MB without this, 52 MB with it.
    False where the C library has no `mallopt` (musl) or refuses."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        return bool(ctypes.CDLL(name).mallopt(M_MMAP_THRESHOLD, LARGE))
    except (OSError, AttributeError):
        return False
