"""The sanity set: ViDoRe layout, pages that differ visually, queries answered by their page."""

from __future__ import annotations

import hashlib
import io
import itertools
import re
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image

from app.evals.dataset import read_directory
from app.evals.sanity import build_sanity_set

# Postgres' English stop words that the queries use; every other query word is on its page.
STOP_WORDS = {
    "and",
    "the",
    "of",
    "to",
    "in",
    "at",
    "me",
    "for",
    "or",
    "there",
    "is",
    "an",
    "that",
    "about",
    "most",
    "with",
    "all",
}


def test_layout_and_counts(sanity_dir: Path) -> None:
    for part in ("corpus", "queries", "qrels"):
        assert [p.name for p in (sanity_dir / part).iterdir()] == ["test-00000-of-00001.parquet"]
    dataset = read_directory(sanity_dir)
    assert len(dataset.corpus) == 16 and len(dataset.queries) == 22
    assert all(len(grades) == 1 for grades in dataset.qrels.values())
    assert {page for grades in dataset.qrels.values() for page in grades} == {
        p.corpus_id for p in dataset.corpus
    }


def test_every_query_word_is_on_its_page(sanity_dir: Path) -> None:
    dataset = read_directory(sanity_dir)
    pages = {}
    for page in dataset.corpus:
        assert page.pdf is not None
        with pymupdf.open(stream=page.pdf, filetype="pdf") as document:
            assert document.page_count == 1
            pages[page.corpus_id] = document[0].get_text().lower()
    for query_id, query in dataset.queries.items():
        (relevant,) = dataset.qrels[query_id]
        words = set(re.findall(r"[a-z0-9]+", query.lower())) - STOP_WORDS
        assert all(word in pages[relevant] for word in words), query


def test_pages_differ_visually(sanity_dir: Path) -> None:
    dataset = read_directory(sanity_dir)
    pixels = []
    for page in dataset.corpus:
        picture = Image.open(io.BytesIO(page.image))
        assert picture.format == "PNG" and picture.size == (816, 1056)
        pixels.append(np.asarray(picture.convert("L").resize((102, 132)), dtype=np.float32))
    for a, b in itertools.combinations(range(len(pixels)), 2):
        # Mean absolute difference of downscaled greyscale pages: layout, colour, figures.
        assert np.abs(pixels[a] - pixels[b]).mean() > 5.0, (a, b)


def test_the_build_is_byte_for_byte_reproducible(sanity_dir: Path, tmp_path: Path) -> None:
    again = build_sanity_set(tmp_path)
    for part in ("corpus", "queries", "qrels"):
        name = "test-00000-of-00001.parquet"
        digests = {
            hashlib.sha256((root / part / name).read_bytes()).digest()
            for root in (sanity_dir, again)
        }
        assert len(digests) == 1, part
