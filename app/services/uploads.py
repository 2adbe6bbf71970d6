"""The API side of ingestion: check an upload, store it, queue it, and (optionally) wait.

Everything a client can get wrong is found here, before anything is stored: the source
(exactly one of file, URL, base64), the size, the type (by its bytes), and whether the file
opens (encrypted, corrupt, empty, too many pixels).
"""

from __future__ import annotations

import asyncio
import hashlib
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import delete
from sqlmodel import col

from app.db.engine import Database
from app.db.integrity import violations_as
from app.db.models import Document, DocumentStatus, SourceKind, User
from app.db.page_store import driver_connection
from app.db.source_store import CHUNK, write_source
from app.errors import ErrorCode, PaliError, bad_input, not_found
from app.ingest.fetch import fetch_document
from app.ingest.formats import HTML, MARKDOWN, TEXT
from app.ingest.render import BadDocument, Renderer
from app.ingest.sniff import HEAD_BYTES, sniff
from app.jobs import enqueue_ingest
from app.services import outbound, webhooks
from app.services.collections import get_collection
from app.services.documents import MAX_NAME, find_document, get_document
from app.services.names import check_metadata, check_name, decode_base64
from app.settings import settings

TERMINAL = (DocumentStatus.READY, DocumentStatus.FAILED)


class UploadedFile(Protocol):
    async def read(self, size: int = -1) -> bytes: ...

    async def close(self) -> None: ...


@dataclass(frozen=True)
class Source:
    file: UploadedFile | None = None
    url: str | None = None
    base64: str | None = None


@dataclass(frozen=True)
class Spooled:
    """An upload on local disk, with what was learnt while writing it."""

    path: Path
    kind: SourceKind
    size: int
    sha256: str
    head: bytes
    url: str | None = None  # fetched: where it was found, after redirects
    content_type: str | None = None  # fetched: the server's label for it


# What a server labels a web page (the label decides only when the bytes read as text).
HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def _too_large() -> PaliError:
    return PaliError(
        ErrorCode.PAYLOAD_TOO_LARGE,
        f"The document exceeds {settings.max_upload_mb:g} MiB (PALIAPI_MAX_UPLOAD_MB).",
    )


async def _spool(source: Source) -> Spooled:
    """The source, copied to a temporary file a chunk at a time; the caller deletes it."""
    given = [x for x in (source.file, source.url, source.base64) if x is not None]
    if len(given) != 1:
        raise bad_input("Give exactly one of `file`, `url` or `base64`.")
    limit = settings.max_upload_bytes
    if source.url is not None:
        fetched = await fetch_document(
            source.url,
            max_bytes=limit,
            time_limit=settings.url_timeout_s,
            policy=outbound.url_policy(),
        )
        spooled = await asyncio.to_thread(_describe, fetched.path, SourceKind.URL)
        return replace(spooled, url=fetched.url, content_type=fetched.content_type)
    with tempfile.NamedTemporaryFile(prefix="paliapi-upload-", delete=False) as out:
        path = Path(out.name)
        try:
            if source.file is not None:
                kind, size = SourceKind.UPLOAD, 0
                while chunk := await source.file.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise _too_large()
                    await asyncio.to_thread(out.write, chunk)
            else:
                # base64 arrives inside the JSON body, which is in memory already (and bounded).
                assert source.base64 is not None
                kind = SourceKind.BASE64
                if len(source.base64) > limit * 4 // 3 + 4:
                    raise _too_large()
                # Up to 100 MB of base64: decoding and writing in a thread keeps the loop live.
                data = await asyncio.to_thread(decode_base64, source.base64, field="base64")
                await asyncio.to_thread(out.write, data)
                del data
        except BaseException:
            path.unlink(missing_ok=True)  # noqa: ASYNC240 - cleanup, even when cancelled
            raise
    return await asyncio.to_thread(_describe, path, kind)


def _describe(path: Path, kind: SourceKind) -> Spooled:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as file:
        head = file.read(HEAD_BYTES)
        file.seek(0)
        while chunk := file.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return Spooled(path, kind, size, digest.hexdigest(), head)


def _media_type(spooled: Spooled) -> str:
    """What the file is, by its bytes; a fetched page its server calls HTML is a web page
    when its bytes read as text (it may lack a doctype, or not be UTF-8)."""
    label = (spooled.content_type or "").split(";", 1)[0].strip().lower()
    try:
        media_type = sniff(spooled.head, spooled.path)
    except PaliError as error:
        if label in HTML_CONTENT_TYPES and error.code is ErrorCode.UNSUPPORTED_MEDIA_TYPE:
            return HTML
        raise
    if label in HTML_CONTENT_TYPES and media_type in (TEXT, MARKDOWN):
        return HTML
    return media_type


async def _check_opens(renderer: Renderer, path: Path, media_type: str) -> None:
    try:
        await renderer.check(path, media_type)
    except BadDocument as error:
        raise bad_input(str(error)) from error


async def upload_document(
    *,
    db: Database,
    renderer: Renderer,
    owner: User,
    collection_name: str,
    name: str,
    source: Source,
    metadata: Any = None,
    overwrite: bool = False,
) -> Document:
    """Store a new document as PENDING and queue it; atomic (all of it, or nothing)."""
    check_name("Document", name, max_length=MAX_NAME)
    meta = check_metadata(metadata)
    async with db.session() as session:  # fail fast on a missing collection
        await get_collection(session=session, owner=owner, name=collection_name)
    spooled = await _spool(source)
    try:
        return await _store(
            db, renderer, owner, collection_name, name, meta, overwrite, spooled, source.url
        )
    finally:
        spooled.path.unlink(missing_ok=True)


async def _store(
    db: Database,
    renderer: Renderer,
    owner: User,
    collection_name: str,
    name: str,
    meta: dict[str, Any],
    overwrite: bool,
    spooled: Spooled,
    url: str | None,
) -> Document:
    media_type = await asyncio.to_thread(_media_type, spooled)
    await _check_opens(renderer, spooled.path, media_type)
    if media_type == HTML and spooled.url is not None:
        url = spooled.url  # a web page: its address after redirects, where it loads from
    async with db.transaction() as session:
        collection = await get_collection(session=session, owner=owner, name=collection_name)
        existing = await find_document(session, collection, name)
        conflict = PaliError(
            ErrorCode.CONFLICT,
            f"Collection {collection_name!r} already has a document named {name!r}; "
            "choose another name or pass `overwrite: true`.",
        )
        if existing is not None:
            if not overwrite:
                raise conflict
            await webhooks.emit_document_event(session, webhooks.DOCUMENT_DELETED, existing)
            # A statement, not `session.delete`: a concurrent overwrite may have deleted the
            # row already, and then there is nothing left to delete (the ORM would raise).
            await session.execute(
                delete(Document).where(
                    col(Document.owner_id) == owner.id, col(Document.id) == existing.id
                )
            )
            session.expunge(existing)
        document = Document(
            collection_id=collection.id,  # type: ignore[arg-type]
            owner_id=owner.id,  # type: ignore[arg-type]
            name=name,
            meta=meta,
            source=spooled.kind,
            source_url=url,
            mime_type=media_type,
            size_bytes=spooled.size,
            content_sha256=spooled.sha256,
        )
        session.add(document)
        # Between the check above and this insert a concurrent upload of the same name may
        # have committed: the unique index decides, and the loser gets the same CONFLICT.
        with violations_as(unique=conflict, foreign_key=not_found("Collection", collection_name)):
            await session.flush()
        assert document.id is not None
        await write_source(
            await driver_connection(session),
            document.owner_id,
            document.id,
            spooled.path,
            spooled.size,
        )
        await enqueue_ingest(session, document.owner_id, document.id)
        await session.refresh(document)
    return document


async def retry_document(*, db: Database, owner: User, collection_name: str, name: str) -> Document:
    """Queue a FAILED (or stuck) document again; a READY one is returned as it is."""
    async with db.transaction() as session:
        document = await get_document(
            session=session, owner=owner, collection_name=collection_name, name=name
        )
        if document.status != DocumentStatus.READY:
            document.status, document.progress, document.error = DocumentStatus.PENDING, 0.0, None
            await session.flush()
            await enqueue_ingest(session, document.owner_id, document.id)  # type: ignore[arg-type]
        await session.refresh(document)
    return document


async def wait_until_done(
    *, db: Database, owner_id: int, document_id: int, poll_s: float = 0.2
) -> Document:
    """Poll until the document is READY or FAILED (bounded by PALIAPI_WAIT_TIMEOUT_S)."""
    deadline = time.monotonic() + settings.wait_timeout_s
    while True:
        async with db.session() as session:
            document = await session.get(Document, (owner_id, document_id))
        if document is None:
            raise not_found("Document", str(document_id))
        if document.status in TERMINAL or time.monotonic() > deadline:
            return document
        await asyncio.sleep(poll_s)
