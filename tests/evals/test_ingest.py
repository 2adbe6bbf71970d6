"""Ingestion through the API: every page READY and accounted for, or the eval stops."""

from __future__ import annotations

import pytest

from app.evals.client import ServiceClient
from app.evals.dataset import CorpusPage
from app.evals.errors import EvalError
from app.evals.ingest import IngestError, UploadKind, ingest_corpus, verify
from tests.files import image

PAGES = [CorpusPage("p1", image("PNG")), CorpusPage("p2", image("JPEG"))]


def test_pages_are_uploaded_as_images_and_checked(server: str, eval_token: str) -> None:
    with ServiceClient(server, eval_token) as client:
        client.create_collection("ingest", {})
        done: list[None] = []
        summary = ingest_corpus(
            client, collection="ingest", corpus=PAGES, on_page=lambda: done.append(None)
        )
        assert (summary.pages, summary.pages_with_text, summary.uploaded_as) == (2, 0, {"image": 2})
        assert len(done) == 2
        documents = client.documents("ingest")
        assert sorted((d["name"], d["metadata"]["corpus-id"]) for d in documents) == [
            ("p1", "p1"),
            ("p2", "p2"),
        ]
        # A page the service lost, or a document that lost its corpus-id, stops the eval.
        with pytest.raises(IngestError, match=r"1 page\(s\) missing, e.g. p3.*holds 2 documents"):
            verify(client, "ingest", [*PAGES, CorpusPage("p3", b"")], documents)
        client.graphql(
            'mutation { updateDocument(input: {collectionName: "ingest", name: "p2", '
            "metadata: {}}) { name } }"
        )
        with pytest.raises(IngestError, match=r"1 document\(s\) without their corpus-id"):
            verify(client, "ingest", PAGES, client.documents("ingest"))


def test_a_page_the_service_refuses_stops_the_eval(server: str, eval_token: str) -> None:
    with ServiceClient(server, eval_token) as client:
        client.create_collection("refused", {})
        with pytest.raises(EvalError, match="UNSUPPORTED_MEDIA_TYPE"):
            ingest_corpus(
                client, collection="refused", corpus=[CorpusPage("bad", b"\x00not a page")]
            )
        with pytest.raises(IngestError, match="has no `pdf` column value"):
            ingest_corpus(client, collection="refused", corpus=PAGES, upload=UploadKind.PDF)
