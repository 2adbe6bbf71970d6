"""Retrieval datasets in the ViDoRe/BEIR layout: a local directory, or a Hugging Face dataset.

A directory holds `corpus/*.parquet` (`corpus-id`, `image` as `{bytes, path}` or raw bytes),
`queries/*.parquet` (`query-id`, `query`) and `qrels/*.parquet` (`query-id`, `corpus-id`,
`score`), as the `vidore/*_beir` datasets do. A corpus may also carry a `pdf` column (the
one-page PDF the image was rendered from): the eval then uploads that, so the page has a text
layer for TEXT and HYBRID search (the service extracts text from PDFs; images have none).
Ids are read as text, whatever their type in the files.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.evals.errors import EvalError

PARTS = {
    "corpus": ("corpus-id", "image"),
    "queries": ("query-id", "query"),
    "qrels": ("query-id", "corpus-id", "score"),
}
INSTALL_HINT = "pip install 'paliapi[eval]'"


class DatasetError(EvalError):
    """The dataset cannot be read, or its parts do not fit together."""


@dataclass(frozen=True)
class CorpusPage:
    corpus_id: str
    image: bytes
    pdf: bytes | None = None


@dataclass(frozen=True)
class EvalDataset:
    name: str
    source: str  # the directory or the hub name it was read from
    corpus: list[CorpusPage]
    queries: dict[str, str]  # query-id -> query, in the dataset's order
    qrels: dict[str, dict[str, float]]  # query-id -> corpus-id -> grade

    @property
    def fingerprint(self) -> str:
        """SHA-256 over the ids, page bytes, queries and qrels: the same data, the same value."""
        digest = hashlib.sha256()
        for page in self.corpus:
            digest.update(f"c\0{page.corpus_id}\0".encode())
            digest.update(hashlib.sha256(page.image).digest())
            digest.update(hashlib.sha256(page.pdf or b"").digest())
        for query_id, query in self.queries.items():
            digest.update(f"q\0{query_id}\0{query}\0".encode())
        for query_id in sorted(self.qrels):
            for corpus_id, grade in sorted(self.qrels[query_id].items()):
                digest.update(f"r\0{query_id}\0{corpus_id}\0{grade!r}\0".encode())
        return digest.hexdigest()


def load_dataset(source: str, *, split: str = "test") -> EvalDataset:
    """A dataset from a directory, or (with the `eval` extra, online) a hub dataset name."""
    path = Path(source).expanduser()
    if path.is_dir():
        return read_directory(path)
    if path.exists() or source.count("/") != 1:
        raise DatasetError(
            f"{source!r} is not a dataset directory (corpus/, queries/, qrels/ with parquet "
            "files) nor a Hugging Face dataset name such as vidore/docvqa_test_subsampled_beir."
        )
    return read_hub(source, split=split)


def read_directory(path: Path) -> EvalDataset:
    """A dataset laid out as `corpus/*.parquet`, `queries/*.parquet`, `qrels/*.parquet`."""
    parts = {part: _read_part(path, part, columns) for part, columns in PARTS.items()}
    return assemble(
        path.resolve().name, str(path.resolve()), parts["corpus"], parts["queries"], parts["qrels"]
    )


def read_hub(name: str, *, split: str) -> EvalDataset:
    """A `vidore/*_beir`-style dataset from the Hugging Face Hub (needs network)."""
    try:
        datasets: Any = importlib.import_module("datasets")
    except ImportError as exc:
        raise DatasetError(
            f"Reading {name!r} from the Hugging Face Hub needs the `datasets` library: "
            f"{INSTALL_HINT}. Or download the dataset and pass its directory."
        ) from exc
    try:
        corpus = datasets.load_dataset(name, "corpus", split=split)
        # Keep the encoded bytes: the service decodes pages itself.
        corpus = corpus.cast_column("image", datasets.Image(decode=False))
        queries = datasets.load_dataset(name, "queries", split=split)
        qrels = datasets.load_dataset(name, "qrels", split=split)
    except Exception as exc:  # the hub raises many types; say which dataset and why
        raise DatasetError(f"Cannot load {name!r} (split {split!r}) from the hub: {exc}") from exc
    return assemble(name.split("/")[-1], name, iter(corpus), iter(queries), iter(qrels))


def _read_part(root: Path, part: str, columns: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    try:
        import pyarrow.parquet as parquet  # type: ignore[import-untyped]
    except ImportError as exc:
        raise DatasetError(f"Reading parquet files needs pyarrow: {INSTALL_HINT}.") from exc
    files = sorted((root / part).glob("*.parquet"))
    if not files:
        raise DatasetError(f"{root / part} has no .parquet files; the layout is {_layout()}.")
    for file in files:
        available = set(parquet.read_schema(file).names)
        missing = [column for column in columns if column not in available]
        if missing:
            raise DatasetError(
                f"{file} lacks the column(s) {', '.join(missing)} (it has: "
                f"{', '.join(sorted(available))}); the layout is {_layout()}."
            )
        wanted = [*columns, *(["pdf"] if part == "corpus" and "pdf" in available else [])]
        for batch in parquet.ParquetFile(file).iter_batches(batch_size=64, columns=wanted):
            for row in batch.to_pylist():
                yield {**row, "_dir": file.parent}


def _layout() -> str:
    return "; ".join(f"{part}/*.parquet ({', '.join(cols)})" for part, cols in PARTS.items())


def assemble(
    name: str,
    source: str,
    corpus_rows: Iterable[Mapping[str, Any]],
    query_rows: Iterable[Mapping[str, Any]],
    qrel_rows: Iterable[Mapping[str, Any]],
) -> EvalDataset:
    """Check that the three parts fit together (unique ids, qrels naming known ids)."""
    corpus: list[CorpusPage] = []
    seen: set[str] = set()
    for row in corpus_rows:
        corpus_id = _id(row["corpus-id"])
        if corpus_id in seen:
            raise DatasetError(f"corpus-id {corpus_id!r} appears twice in the corpus.")
        seen.add(corpus_id)
        pdf = row.get("pdf")
        corpus.append(CorpusPage(corpus_id, _image_bytes(row, corpus_id), pdf or None))
    if not corpus:
        raise DatasetError("The corpus is empty.")
    queries: dict[str, str] = {}
    for row in query_rows:
        query_id = _id(row["query-id"])
        if query_id in queries:
            raise DatasetError(f"query-id {query_id!r} appears twice in the queries.")
        if not str(row["query"] or "").strip():
            raise DatasetError(f"query {query_id!r} is empty.")
        queries[query_id] = str(row["query"])
    qrels: dict[str, dict[str, float]] = {}
    unknown: list[str] = []
    for row in qrel_rows:
        query_id, corpus_id = _id(row["query-id"]), _id(row["corpus-id"])
        if query_id not in queries or corpus_id not in seen:
            unknown.append(f"({query_id}, {corpus_id})")
            continue
        qrels.setdefault(query_id, {})[corpus_id] = float(row["score"])
    if unknown:
        raise DatasetError(
            f"{len(unknown)} qrel(s) name a query or page that the dataset lacks, e.g. "
            f"{', '.join(unknown[:5])} (query-id, corpus-id): the parts do not fit together."
        )
    return EvalDataset(name, source, corpus, queries, qrels)


def _id(value: Any) -> str:
    if value is None:
        raise DatasetError("An id is missing (null) in the dataset.")
    return str(value)


def _image_bytes(row: Mapping[str, Any], corpus_id: str) -> bytes:
    image = row["image"]
    if isinstance(image, bytes | bytearray):
        return bytes(image)
    if isinstance(image, Mapping):
        if image.get("bytes"):
            return bytes(image["bytes"])
        if image.get("path"):
            # The Hugging Face Image feature may keep only a path, relative to the file.
            candidate = Path(row.get("_dir") or ".") / str(image["path"])
            if candidate.is_file():
                return candidate.read_bytes()
    raise DatasetError(
        f"The image of corpus-id {corpus_id!r} has no bytes (expected {{bytes, path}} or bytes)."
    )
