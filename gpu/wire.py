"""The binary wire format for multi-vectors: a safetensors file of float16 (tokens, dim) arrays.

Used by the embedding server and by the API's clients alike (numpy only, no torch), so the
two sides can never disagree. One array per input, keyed by its position.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from safetensors.numpy import load, save

MultiVector = NDArray[np.float16]  # (tokens, dim)
CONTENT_TYPE = "application/x-safetensors"


@dataclass(frozen=True)
class PatchGrid:
    """Where a page's image patches sit in its multi-vector: `rows * columns` consecutive
    tokens from `offset`, row-major over the image as the model saw it."""

    offset: int
    rows: int
    columns: int


def encode_grids(grids: list[PatchGrid | None]) -> str:
    """Patch grids as payload metadata (`grids`): a JSON list, null where a page has none."""
    return json.dumps([None if g is None else [g.offset, g.rows, g.columns] for g in grids])


def decode_grids(meta: dict[str, str], count: int) -> list[PatchGrid | None]:
    """The `grids` metadata of a payload of `count` pages; all None when the service sent none
    (an older service), or something malformed."""
    try:
        raw = json.loads(meta["grids"])
        grids = [None if g is None else PatchGrid(int(g[0]), int(g[1]), int(g[2])) for g in raw]
    except (KeyError, ValueError, TypeError, IndexError):
        return [None] * count
    return grids if len(grids) == count else [None] * count


def encode_tokens(tokens: list[list[str]]) -> str:
    """Each query's token strings, as the model saw them, as payload metadata (`tokens`)."""
    return json.dumps(tokens)


def decode_tokens(meta: dict[str, str], count: int) -> list[list[str] | None]:
    """The `tokens` metadata of a payload of `count` queries; None where it is missing."""
    try:
        raw = json.loads(meta["tokens"])
        tokens = [[str(t) for t in query] for query in raw]
    except (KeyError, ValueError, TypeError):
        return [None] * count
    return list(tokens) if len(tokens) == count else [None] * count


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
