"""Reading datasets in the ViDoRe/BEIR layout, and refusing ones whose parts do not fit."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest

from app.evals.dataset import DatasetError, load_dataset, read_directory
from tests.files import image

PNG = image("PNG", size=(40, 30))


def write(root: Path, part: str, rows: list[dict[str, Any]], name: str = "test.parquet") -> None:
    (root / part).mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows), root / part / name)


def layout(root: Path, corpus: list[dict[str, Any]] | None = None) -> Path:
    write(root, "corpus", corpus or [{"corpus-id": 7, "image": {"bytes": PNG, "path": "a.png"}}])
    write(root, "queries", [{"query-id": 1, "query": "a chart"}, {"query-id": 2, "query": "x"}])
    write(root, "qrels", [{"query-id": 1, "corpus-id": 7, "score": 2}])
    return root


def test_reads_the_beir_layout(tmp_path: Path) -> None:
    dataset = load_dataset(str(layout(tmp_path / "docvqa_beir")))
    assert dataset.name == "docvqa_beir"
    assert [(p.corpus_id, p.image, p.pdf) for p in dataset.corpus] == [("7", PNG, None)]
    assert dataset.queries == {"1": "a chart", "2": "x"}
    assert dataset.qrels == {"1": {"7": 2.0}}  # query 2 has no qrels: it is not scored
    assert dataset.fingerprint == read_directory(tmp_path / "docvqa_beir").fingerprint


def test_images_as_bytes_or_as_a_path_beside_the_file_and_several_files(tmp_path: Path) -> None:
    layout(tmp_path, [{"corpus-id": "a", "image": PNG}])
    (tmp_path / "corpus" / "b.png").write_bytes(PNG)
    write(
        tmp_path,
        "corpus",
        [{"corpus-id": "b", "image": {"bytes": None, "path": "b.png"}}],
        "z.parquet",
    )
    write(tmp_path, "qrels", [{"query-id": 1, "corpus-id": "b", "score": 1}])
    dataset = read_directory(tmp_path)
    assert [(p.corpus_id, p.image) for p in dataset.corpus] == [("a", PNG), ("b", PNG)]


def test_a_pdf_column_is_kept(tmp_path: Path) -> None:
    layout(tmp_path, [{"corpus-id": 7, "image": PNG, "pdf": b"%PDF-1.7 ..."}])
    assert read_directory(tmp_path).corpus[0].pdf == b"%PDF-1.7 ..."


def test_the_fingerprint_changes_with_the_data(tmp_path: Path) -> None:
    before = read_directory(layout(tmp_path)).fingerprint
    write(tmp_path, "qrels", [{"query-id": 1, "corpus-id": 7, "score": 1}])
    assert read_directory(tmp_path).fingerprint != before


@pytest.mark.parametrize(
    ("part", "rows", "message"),
    [
        ("corpus", [{"corpus-id": 7, "picture": PNG}], r"lacks the column\(s\) image"),
        ("corpus", [{"corpus-id": 7, "image": PNG}, {"corpus-id": 7, "image": PNG}], "twice"),
        ("corpus", [{"corpus-id": 7, "image": {"bytes": None, "path": "gone.png"}}], "no bytes"),
        ("queries", [{"query-id": 1, "query": " "}], "is empty"),
        ("qrels", [{"query-id": 1, "corpus-id": 8, "score": 1}], r"\(1, 8\).*do not fit"),
        ("qrels", [{"query-id": 9, "corpus-id": 7, "score": 1}], r"\(9, 7\)"),
    ],
)
def test_broken_datasets_are_refused_with_the_reason(
    tmp_path: Path, part: str, rows: list[dict[str, Any]], message: str
) -> None:
    layout(tmp_path)
    write(tmp_path, part, rows)
    with pytest.raises(DatasetError, match=message):
        read_directory(tmp_path)


def test_missing_parts_and_unknown_sources(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    with pytest.raises(DatasetError, match=r"corpus has no \.parquet files; the layout is"):
        read_directory(tmp_path)
    with pytest.raises(DatasetError, match="not a dataset directory"):
        load_dataset(str(tmp_path / "nowhere"))


def test_a_hub_name_needs_the_datasets_extra() -> None:
    if importlib.util.find_spec("datasets") is not None:
        pytest.skip("`datasets` is installed: reading the hub needs network")
    with pytest.raises(DatasetError, match=r"pip install 'paliapi\[eval\]'"):
        load_dataset("vidore/docvqa_test_subsampled_beir")
