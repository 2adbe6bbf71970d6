"""Multi-vectors from `embed` as NumPy arrays (NumPy is needed for this, not by the client)."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


class MultiVector(Protocol):
    """What `embed` returns for each item (sync and async clients alike)."""

    tokens: int
    dim: int
    base_64: str


def to_numpy(vector: MultiVector) -> NDArray[np.float16]:
    """One `embed` result as a (tokens, dim) float16 array (little-endian, row-major)."""
    import numpy as np

    data = np.frombuffer(base64.b64decode(vector.base_64), dtype="<f2")
    return data.reshape(vector.tokens, vector.dim)
