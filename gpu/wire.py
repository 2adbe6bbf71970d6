"""The binary wire format for multi-vectors: a safetensors file of float16 (tokens, dim) arrays.

Used by the embedding server and by the API's clients alike (numpy only, no torch), so the
two sides can never disagree. One array per input, keyed by its position.
"""

from __future__ import annotations

import json
import struct

import numpy as np
from numpy.typing import NDArray
from safetensors.numpy import load, save

MultiVector = NDArray[np.float16]  # (tokens, dim)
CONTENT_TYPE = "application/x-safetensors"


def encode(vectors: list[MultiVector], **metadata: str) -> bytes:
    for i, array in enumerate(vectors):
        if array.ndim != 2:
            raise ValueError(f"vector {i} has shape {array.shape}; expected (tokens, dim)")
    tensors = {f"{i:06d}": np.ascontiguousarray(v, dtype=np.float16) for i, v in enumerate(vectors)}
    return save(tensors, metadata={"count": str(len(vectors)), **metadata})


def decode(payload: bytes) -> list[MultiVector]:
    tensors = load(payload)
    return [tensors[key] for key in sorted(tensors)]


def metadata(payload: bytes) -> dict[str, str]:
    """The string metadata of a payload (`model`, ...), read from its safetensors header."""
    if len(payload) < 8:
        raise ValueError("not a safetensors payload: shorter than its header length")
    (length,) = struct.unpack("<Q", payload[:8])
    header = json.loads(payload[8 : 8 + length])
    found = header.get("__metadata__") or {}
    return {str(k): str(v) for k, v in found.items()}
