"""The stored form of a multi-vector: int8 codes with per-row scales, for its tokens and for
its k-means centroids."""

from __future__ import annotations

import numpy as np
import pytest

from app.db.vectors import (
    CENTROID_BLOCK,
    CENTROIDS,
    COARSE,
    centroid_maxsim,
    decode,
    encode,
    maxsim,
    maxsim_stored,
)
from bench.synthetic import document_pages, make_query


def test_int8_storage_keeps_maxsim_within_a_tenth_of_a_percent() -> None:
    pages = document_pages(3, 0)  # 10 pages of 1,030 tokens
    for page_number in (0, 4, 9):
        query = make_query(3, page_number)
        exact = [maxsim(query, p.astype(np.float32)) for p in pages]
        stored = [maxsim(query, decode(encode(p).vectors, 128)) for p in pages]
        relative = np.abs(np.subtract(stored, exact)) / np.abs(exact)
        assert relative.max() < 1e-3
        assert np.argsort(stored)[-3:].tolist() == np.argsort(exact)[-3:].tolist()


def test_encoding_is_half_the_bytes_of_halfvec_and_round_trips_shapes() -> None:
    page = document_pages(3, 1)[0]
    encoded = encode(page)
    assert (encoded.token_count, encoded.dim) == page.shape
    assert len(encoded.vectors) == page.shape[0] * (128 + 4)  # halfvec: 256 bytes a token
    assert decode(encoded.vectors, 128).shape == page.shape
    assert len(encoded.centroids) == CENTROIDS * (128 + 4)  # stored as the tokens are
    centroids = decode(encoded.centroids, 128)
    assert centroids.shape == (CENTROIDS, 128)
    np.testing.assert_allclose(np.linalg.norm(centroids, axis=1), 1.0, atol=5e-3)  # int8


def test_zero_tokens_and_pages_smaller_than_k() -> None:
    small = np.zeros((3, 128), dtype=np.float16)
    small[1, 5] = 1.0
    encoded = encode(small)
    assert np.array_equal(decode(encoded.vectors, 128), small.astype(np.float32))
    assert decode(encoded.centroids, 128).shape == (3, 128)
    with pytest.raises(ValueError, match="tokens, dim"):
        encode(np.zeros((0, 128), dtype=np.float16))


def test_batched_maxsim_equals_page_by_page_for_pages_of_any_length() -> None:
    rng = np.random.default_rng(3)
    pages = [rng.standard_normal((n, 128)).astype(np.float16) for n in (1, 5, CENTROIDS, 700)]
    query = rng.standard_normal((9, 128)).astype(np.float32)
    encoded = [encode(page) for page in pages]
    batched = maxsim_stored(query, [e.vectors for e in encoded])
    one_by_one = [maxsim(query, decode(e.vectors, 128)) for e in encoded]
    np.testing.assert_allclose(batched, one_by_one, rtol=1e-5)
    # Centroids: a short page's missing slots change nothing; a long page's are its k-means.
    approximate = centroid_maxsim(query, [e.centroids for e in encoded])
    expected = [maxsim(query, decode(e.centroids, 128)) for e in encoded]
    np.testing.assert_allclose(approximate, expected, rtol=1e-3)
    full_only = centroid_maxsim(query, [encoded[-1].centroids] * 2)
    np.testing.assert_allclose(full_only, [expected[-1]] * 2, rtol=1e-3)
    # More pages than one block: every score lands on its own page.
    many = [encoded[i % 4].centroids for i in range(CENTROID_BLOCK // CENTROIDS + 5)]
    np.testing.assert_allclose(
        centroid_maxsim(query, many), [expected[i % 4] for i in range(len(many))], rtol=1e-3
    )
    # The coarse centroids, scored as many to a block: the same as one page at a time.
    coarse = [encoded[i % 4].coarse for i in range(CENTROID_BLOCK // COARSE + 5)]
    by_page = [maxsim(query, decode(e.coarse, 128)) for e in encoded]
    np.testing.assert_allclose(
        centroid_maxsim(query, coarse, COARSE),
        [by_page[i % 4] for i in range(len(coarse))],
        rtol=1e-3,
    )
