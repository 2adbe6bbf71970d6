"""Type aliases shared across the service."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from gpu.wire import MultiVector

Float32Matrix = NDArray[np.float32]

__all__ = ["Float32Matrix", "MultiVector"]
