"""Uploading documents as a client would: multipart, base64 and URL; bad input loses nothing."""

from __future__ import annotations

import base64
import hashlib
import io
import json
from collections.abc import Iterator
from typing import Any

import pymupdf
import pytest
from PIL import Image
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from websockets.sync.client import connect

from app.db.engine import Database
from app.settings import settings
from tests import files
from tests.conftest import Api, serve_in_thread
from tests.resolvers.test_collections import create

UPLOAD = """
mutation($file: Upload, $base64: String, $url: String, $name: String!, $wait: Boolean, $overwrite: Boolean, $metadata: JSON) {
  uploadDocument(input: {collectionName: "docs", name: $name, file: $file, base64: $base64, url: $url,
                         wait: $wait, overwrite: $overwrite, metadata: $metadata}) {
    id name status progress error pageCount mimeType sizeBytes contentSha256 sourceUrl metadata
    pages(first: 50) { totalCount edges { node { number width height text imageUrl } } }
  }
}"""
DOC = '{ document(collectionName: "docs", name: "%s") { status pageCount error progress } }'


def upload_file(api: Api, name: str, data: bytes, **variables: Any) -> dict[str, Any]:
    return api.upload(
        UPLOAD, {"name": name, "file": None, "wait": True, **variables}, {"file": (name, data)}
    )


async def counts(db: Database) -> tuple[int, ...]:
    async with db.session() as session:
        row = (
            await session.execute(
                text(
                    "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM document_sources),"
                    " (SELECT count(*) FROM pages), (SELECT count(*) FROM page_embeddings),"
                    " (SELECT count(*) FROM pgqueuer)"
                )
            )
        ).one()
    return tuple(row)


async def test_multipart_pdf_becomes_ready_with_every_page(alice: Api, db: Database) -> None:
    create(alice, "docs")
    data = files.pdf(5, title="Annual")
    body = upload_file(alice, "annual.pdf", data, metadata={"year": 2024})
    document = body["data"]["uploadDocument"]
    with pymupdf.open(stream=data, filetype="pdf") as parsed:
        expected_pages = parsed.page_count
    assert document["status"] == "READY", document["error"]
    assert document["pageCount"] == expected_pages == 5
    assert document["progress"] == 1.0
    assert document["mimeType"] == "application/pdf"
    assert document["sizeBytes"] == len(data)
    assert document["contentSha256"] == hashlib.sha256(data).hexdigest()
    assert document["metadata"] == {"year": 2024}
    pages = [edge["node"] for edge in document["pages"]["edges"]]
    assert [p["number"] for p in pages] == [1, 2, 3, 4, 5]
    assert "Annual page 3" in pages[2]["text"]
    image = alice.http.get(pages[0]["imageUrl"], headers=alice.headers)
    assert image.status_code == 200 and image.headers["content-type"] == "image/webp"
    with Image.open(io.BytesIO(image.content)) as decoded:
        assert decoded.size == (pages[0]["width"], pages[0]["height"])
    _, _, page_rows, embedding_rows, _ = await counts(db)
    assert page_rows == embedding_rows == 5


def test_images_by_base64_and_multi_frame_tiff(alice: Api) -> None:
    create(alice, "docs")
    png = alice.data(
        UPLOAD,
        {"name": "a.png", "base64": base64.b64encode(files.image("PNG")).decode(), "wait": True},
    )
    assert png["uploadDocument"]["status"] == "READY"
    assert (png["uploadDocument"]["pageCount"], png["uploadDocument"]["mimeType"]) == (
        1,
        "image/png",
    )
    tiff = upload_file(alice, "scan.tiff", files.image("TIFF", frames=3))["data"]["uploadDocument"]
    assert (tiff["status"], tiff["pageCount"], tiff["mimeType"]) == ("READY", 3, "image/tiff")
    for fmt in ("JPEG", "WEBP", "GIF", "BMP"):
        doc = upload_file(alice, f"x.{fmt.lower()}", files.image(fmt))["data"]["uploadDocument"]
        assert doc["status"] == "READY" and doc["pageCount"] == 1


@pytest.fixture
def origin() -> Iterator[str]:
    async def document(request: Request) -> Response:
        return Response(files.pdf(2), media_type="application/pdf")

    with serve_in_thread(Starlette(routes=[Route("/report.pdf", document)])) as url:
        yield url


def test_by_url(alice: Api, origin: str, monkeypatch: pytest.MonkeyPatch) -> None:
    create(alice, "docs")
    refused = alice.error(UPLOAD, {"name": "r.pdf", "url": f"{origin}/report.pdf"})
    # A random port on loopback: refused for its port (80 and 443 only), before any lookup.
    assert refused["code"] == "BAD_USER_INPUT" and "PALIAPI_URL_ALLOWED_PORTS" in refused["message"]
    monkeypatch.setattr(settings, "allow_private_urls", True)
    doc = alice.data(UPLOAD, {"name": "r.pdf", "url": f"{origin}/report.pdf", "wait": True})[
        "uploadDocument"
    ]
    assert (doc["status"], doc["pageCount"], doc["sourceUrl"]) == (
        "READY",
        2,
        f"{origin}/report.pdf",
    )


BAD_INPUTS: list[tuple[str, dict[str, Any], dict[str, tuple[str, bytes]], str, str]] = [
    (
        "unknown type",
        {},
        {"file": ("a.bin", b"\x00\x01\x02 binary")},
        "UNSUPPORTED_MEDIA_TYPE",
        "Unsupported file type",
    ),
    (
        "broken zip",
        {},
        {"file": ("a.docx", b"PK\x03\x04word/document.xml")},
        "BAD_USER_INPUT",
        "ZIP archive",
    ),
    (
        "encrypted",
        {},
        {"file": ("e.pdf", files.pdf(2, password="pw"))},
        "BAD_USER_INPUT",
        "password-protected",
    ),
    (
        "truncated",
        {},
        {"file": ("t.pdf", files.pdf(3)[:400])},
        "BAD_USER_INPUT",
        "corrupt or truncated",
    ),
    ("empty", {}, {"file": ("z.pdf", b"")}, "BAD_USER_INPUT", "empty"),
    ("bomb", {}, {"file": ("b.png", files.bomb())}, "BAD_USER_INPUT", "too large to decode"),
    (
        "two sources",
        {"base64": "JVBERi0="},
        {"file": ("a.pdf", files.pdf(1))},
        "BAD_USER_INPUT",
        "exactly one",
    ),
    ("no source", {"file": None}, {}, "BAD_USER_INPUT", "exactly one"),
    ("bad base64", {"base64": "%%%not base64"}, {}, "BAD_USER_INPUT", "not valid base64"),
    (
        "too large",
        {"base64": base64.b64encode(b"%PDF-" + b"0" * 1_100_000).decode()},
        {},
        "PAYLOAD_TOO_LARGE",
        "exceeds",
    ),
    (
        "bad name",
        {"name": " spaced"},
        {"file": ("a.pdf", files.pdf(1))},
        "BAD_USER_INPUT",
        "leading or trailing",
    ),
]


@pytest.mark.parametrize(
    ("label", "variables", "parts", "code", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS]
)
async def test_bad_input_is_refused_and_nothing_is_stored(
    alice: Api,
    db: Database,
    label: str,
    variables: dict[str, Any],
    parts: dict[str, tuple[str, bytes]],
    code: str,
    message: str,
) -> None:
    create(alice, "docs")
    before = await counts(db)
    merged = {"name": "doc", "wait": True, **variables}
    body = alice.upload(UPLOAD, merged, parts) if parts else alice.raw(UPLOAD, merged)
    error = body["errors"][0]
    assert error["extensions"]["code"] == code, error
    assert message in error["message"]
    assert "Traceback" not in json.dumps(body)
    assert await counts(db) == before


def test_missing_collection_and_missing_preflight(alice: Api) -> None:
    body = upload_file(alice, "a.pdf", files.pdf(1))
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    response = alice.http.post(
        "/graphql",
        headers=alice.headers,
        data={
            "operations": json.dumps({"query": UPLOAD, "variables": {"name": "a", "file": None}}),
            "map": '{"f": ["variables.file"]}',
        },
        files={"f": ("a.pdf", files.pdf(1), "application/pdf")},
    )
    assert response.status_code == 400


async def test_conflict_and_overwrite(alice: Api, db: Database) -> None:
    create(alice, "docs")
    first = upload_file(alice, "r.pdf", files.pdf(2))["data"]["uploadDocument"]
    conflict = upload_file(alice, "r.pdf", files.pdf(4))["errors"][0]
    assert conflict["extensions"]["code"] == "CONFLICT" and "overwrite" in conflict["message"]
    assert alice.data(DOC % "r.pdf")["document"]["pageCount"] == 2
    replaced = upload_file(alice, "r.pdf", files.pdf(4), overwrite=True)["data"]["uploadDocument"]
    assert replaced["status"] == "READY" and replaced["pageCount"] == 4
    assert replaced["contentSha256"] != first["contentSha256"]
    documents, sources, pages, embeddings, _ = await counts(db)
    assert (documents, sources, pages, embeddings) == (1, 1, 4, 4)


def test_document_status_subscription_over_websocket(alice: Api, server: str) -> None:
    create(alice, "docs")
    started = alice.data(
        UPLOAD,
        {"name": "s.png", "base64": base64.b64encode(files.image("PNG")).decode(), "wait": False},
    )
    assert started["uploadDocument"]["status"] in ("PENDING", "PROCESSING", "READY")
    url = server.replace("http://", "ws://") + "/graphql"
    seen = []
    with connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        ws.send(
            json.dumps(
                {"type": "connection_init", "payload": {"Authorization": f"Bearer {alice.token}"}}
            )
        )
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        query = 'subscription { documentStatus(collectionName: "docs", name: "s.png") { status progress pageCount } }'
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        while True:
            message = json.loads(ws.recv(timeout=60))
            if message["type"] == "complete":
                break
            assert message["type"] == "next", message
            seen.append(message["payload"]["data"]["documentStatus"])
    assert seen[-1] == {"status": "READY", "progress": 1.0, "pageCount": 1}


def test_subscription_needs_a_token(server: str) -> None:
    url = server.replace("http://", "ws://") + "/graphql"
    with connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        query = 'subscription { documentStatus(collectionName: "docs", name: "x") { status } }'
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        message = json.loads(ws.recv(timeout=10))
        assert message["type"] in ("error", "next")
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
