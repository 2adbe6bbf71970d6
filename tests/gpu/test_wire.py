"""The binary wire format round-trips any list of float16 multi-vectors exactly."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gpu import wire

multivectors = st.lists(
    st.integers(min_value=0, max_value=40).flatmap(
        lambda tokens: arrays(np.float16, (tokens, 8), elements=st.floats(-4, 4, width=16))
    ),
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(multivectors)
def test_round_trip_is_exact(vectors: list[np.ndarray]) -> None:
    decoded = wire.decode(wire.encode(vectors, model="m"))
    assert len(decoded) == len(vectors)
    for got, want in zip(decoded, vectors, strict=True):
        assert got.dtype == np.float16
        assert got.shape == want.shape
        assert np.array_equal(got, want)


def test_order_survives_more_than_ten_items() -> None:
    vectors = [np.full((2, 4), i, dtype=np.float16) for i in range(25)]
    assert [int(v[0, 0]) for v in wire.decode(wire.encode(vectors))] == list(range(25))


def test_bytes_per_page_versus_json() -> None:
    page = np.random.default_rng(0).standard_normal((1030, 128)).astype(np.float16)
    binary = len(wire.encode([page]))
    as_json = len(json.dumps(page.astype(float).tolist()))
    assert binary < 1030 * 128 * 2 + 512  # raw float16 plus a small header
    assert as_json > 4 * binary


def test_refuses_anything_but_matrices() -> None:
    with pytest.raises(ValueError, match="expected \\(tokens, dim\\)"):
        wire.encode([np.zeros(3, dtype=np.float16)])


def test_grids_and_tokens_travel_as_metadata() -> None:
    grids = [wire.PatchGrid(4, 9, 6), None]
    tokens = [["What", " is"], ["<|endoftext|>"]]
    payload = wire.encode(
        [np.zeros((2, 8), np.float16)] * 2,
        grids=wire.encode_grids(grids),
        tokens=wire.encode_tokens(tokens),
    )
    meta = wire.metadata(payload)
    assert wire.decode_grids(meta, 2) == grids
    assert wire.decode_tokens(meta, 2) == tokens


def test_an_older_service_without_them_gives_none() -> None:
    assert wire.decode_grids({}, 2) == [None, None]
    assert wire.decode_tokens({"tokens": "not json"}, 1) == [None]
    assert wire.decode_grids({"grids": "[[1, 2, 3]]"}, 2) == [None, None]  # wrong count
