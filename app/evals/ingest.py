"""Put a dataset's corpus into a collection through the service's own upload path, and prove
that every page arrived.

Pages are uploaded one at a time, each as its own document named by its corpus-id (with the
corpus-id in its metadata), with `wait: true`. One at a time is slower than a pipeline, but it
makes every run store pages in corpus order and embeds every page alone (a batch of one), so no
page's vectors depend on which other pages shared its batch.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.evals.client import ServiceClient
from app.evals.dataset import CorpusPage
from app.evals.errors import EvalError

CORPUS_ID = "corpus-id"  # the metadata key each page's document carries
POLL_S = 1.0
STALL_TIMEOUT_S = 900.0  # no page finished for this long: the ingestion is stuck


class UploadKind(StrEnum):
    AUTO = "auto"  # the page's PDF when the dataset has one, else its image
    IMAGE = "image"
    PDF = "pdf"


class IngestError(EvalError):
    """A page failed, went missing, or the ingestion stalled."""


@dataclass(frozen=True)
class IngestSummary:
    pages: int
    seconds: float
    pages_with_text: int
    uploaded_as: dict[str, int] = field(default_factory=dict)  # "pdf" / "image" -> pages

    def as_dict(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "seconds": round(self.seconds, 3),
            "pages_with_text": self.pages_with_text,
            "uploaded_as": self.uploaded_as,
        }


def _payload(page: CorpusPage, upload: UploadKind) -> tuple[str, bytes]:
    if upload is UploadKind.PDF and page.pdf is None:
        raise IngestError(
            f"--upload pdf: corpus-id {page.corpus_id} has no `pdf` column value; "
            "use --upload image (or auto)."
        )
    if upload is not UploadKind.IMAGE and page.pdf is not None:
        return "pdf", page.pdf
    return "image", page.image


def ingest_corpus(
    client: ServiceClient,
    *,
    collection: str,
    corpus: Sequence[CorpusPage],
    upload: UploadKind = UploadKind.AUTO,
    on_page: Callable[[], None] = lambda: None,
    stall_timeout_s: float = STALL_TIMEOUT_S,
) -> IngestSummary:
    """Upload every page, wait until all are READY, and check that none is missing."""
    started = time.perf_counter()
    kinds: dict[str, int] = {}
    for page in corpus:
        kind, data = _payload(page, upload)
        kinds[kind] = kinds.get(kind, 0) + 1
        document = client.upload(
            collection=collection,
            name=page.corpus_id,
            filename=f"{page.corpus_id}.{'pdf' if kind == 'pdf' else 'img'}",
            data=data,
            metadata={CORPUS_ID: page.corpus_id},
            wait=True,
        )
        if document["status"] == "FAILED":
            raise IngestError(f"corpus-id {page.corpus_id} FAILED: {document['error']}")
        on_page()
    documents = wait_until_ready(client, collection, stall_timeout_s=stall_timeout_s)
    verify(client, collection, corpus, documents)
    texts = client.first_page_texts(collection)
    with_text = sum(1 for text in texts.values() if text and text.strip())
    return IngestSummary(len(corpus), time.perf_counter() - started, with_text, kinds)


def wait_until_ready(
    client: ServiceClient, collection: str, *, stall_timeout_s: float
) -> list[dict[str, Any]]:
    """Poll until no document is PENDING or PROCESSING (a `wait: true` may return early)."""
    last_change, last_ready = time.monotonic(), -1
    while True:
        documents = client.documents(collection)
        failed = [d for d in documents if d["status"] == "FAILED"]
        if failed:
            named = "; ".join(f"{d['name']}: {d['error']}" for d in failed[:5])
            raise IngestError(f"{len(failed)} page(s) FAILED to ingest: {named}")
        ready = sum(1 for d in documents if d["status"] == "READY")
        if ready == len(documents):
            return documents
        if ready != last_ready:
            last_change, last_ready = time.monotonic(), ready
        elif time.monotonic() - last_change > stall_timeout_s:
            raise IngestError(
                f"Ingestion stalled: {ready} of {len(documents)} pages READY and none finished "
                f"in {stall_timeout_s:.0f} s. Is an ingestion worker running (`paliapi worker`)?"
            )
        time.sleep(POLL_S)


def verify(
    client: ServiceClient,
    collection: str,
    corpus: Sequence[CorpusPage],
    documents: Sequence[dict[str, Any]],
) -> None:
    """Every corpus page is one READY one-page document, tagged with its corpus-id."""
    expected = {page.corpus_id for page in corpus}
    found = {d["name"] for d in documents}
    problems = []
    if missing := sorted(expected - found):
        problems.append(f"{len(missing)} page(s) missing, e.g. {', '.join(missing[:5])}")
    if extra := sorted(found - expected):
        problems.append(f"{len(extra)} unexpected document(s), e.g. {', '.join(extra[:5])}")
    mistagged = [d["name"] for d in documents if d["metadata"].get(CORPUS_ID) != d["name"]]
    if mistagged:
        problems.append(f"{len(mistagged)} document(s) without their corpus-id in metadata")
    if multi := [d["name"] for d in documents if d["pageCount"] != 1]:
        problems.append(f"{len(multi)} document(s) without exactly one page, e.g. {multi[0]}")
    counts = client.collection(collection) or {}
    if counts.get("pageCount") != len(corpus) or counts.get("documentCount") != len(corpus):
        problems.append(
            f"the collection holds {counts.get('documentCount')} documents and "
            f"{counts.get('pageCount')} pages; the corpus has {len(corpus)} pages"
        )
    if problems:
        raise IngestError("Pages were lost or changed on ingestion: " + "; ".join(problems) + ".")
