"""The worker side of ingestion: a queued document becomes pages, text and embeddings.

Progress is committed as it goes; the pages and embeddings are written in one final
transaction, so a failure or a crash at any point leaves no half-written document, and a
rerun (after a crash, or `retryDocument`) starts clean.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.db import vectors
from app.db.engine import Database, database_away
from app.db.models import Collection, Document, DocumentStatus, PageKey
from app.db.page_store import driver_connection, replace_pages
from app.db.source_store import read_source
from app.embeddings.base import Embedder
from app.errors import ErrorCode, PaliError
from app.ingest.formats import HTML
from app.ingest.render import BadDocument, RenderedPage, Renderer
from app.ingest.token_pooling import pool_tokens
from app.jobs import enqueue_ingest
from app.metrics import INGEST_DOCUMENTS, INGEST_PAGES
from app.services import outbound, webhooks
from app.types import MultiVector
from gpu.wire import PatchGrid

log = logging.getLogger(__name__)
RENDER_SHARE = 0.3  # of the progress bar; embedding takes the rest


@dataclass
class Ingestor:
    db: Database
    embedder: Embedder
    renderer: Renderer
    batch_pages: int = 16

    async def process(self, owner_id: int, document_id: int) -> None:
        """Ingest one document; failures end as FAILED with a message, never an exception.

        The one exception: the database itself went away. That is no fault of the document,
        so it propagates and the queue runs the job again.
        """
        async with self.db.transaction() as session:
            document = await session.get(Document, (owner_id, document_id), with_for_update=True)
            if document is None or document.status == DocumentStatus.READY:
                return  # deleted meanwhile, or a duplicate job
            document.status, document.progress, document.error = (
                DocumentStatus.PROCESSING,
                0.0,
                None,
            )
            collection_id = document.collection_id
            media_type, source_url = document.mime_type, document.source_url
            pool_factor = await session.scalar(
                select(col(Collection.pool_factor)).where(
                    col(Collection.owner_id) == owner_id, col(Collection.id) == collection_id
                )
            )
        try:
            if media_type is None:
                raise BadDocument("The uploaded file is missing; upload the document again.")
            if self.embedder.health.state == "ready":  # the model is known: fail before work
                async with self.db.transaction() as session:
                    await bind_model(
                        session, owner_id, collection_id, document_id, self.embedder.model_name
                    )
            pages = await self._render(owner_id, document_id, media_type, source_url)
            embeddings, grids = await self._embed(owner_id, document_id, pages, pool_factor or 1)
            await self._store(document_id, owner_id, collection_id, pages, embeddings, grids)
        except BadDocument as error:
            await self._fail(owner_id, document_id, str(error))
        except PaliError as error:
            await self._fail(
                owner_id, document_id, f"{error.message} Use `retryDocument` to resume."
            )
        except Exception as error:
            if database_away(error):
                raise  # not the document's fault: the job goes back to the queue
            log.exception("ingesting document %s failed", document_id)
            await self._fail(
                owner_id, document_id, "Internal error while ingesting; use `retryDocument`."
            )

    async def _store(
        self,
        document_id: int,
        owner_id: int,
        collection_id: int,
        pages: list[RenderedPage],
        embeddings: list[vectors.EncodedPage],
        grids: list[PatchGrid | None],
    ) -> None:
        """Pages, embeddings and READY in one transaction: all of it, or none."""
        async with self.db.transaction() as session:
            # The model that produced these vectors (a remote service reports it per answer).
            # The collection is locked before the document, in the order a cascade takes.
            model = self.embedder.model_name
            await bind_model(session, owner_id, collection_id, document_id, model)
            document = await session.get(Document, (owner_id, document_id), with_for_update=True)
            if document is None:
                return  # deleted while it was being processed
            await replace_pages(
                session,
                document_id=document_id,
                owner_id=owner_id,
                collection_id=collection_id,
                model=model,
                pages=pages,
                embeddings=embeddings,
                grids=grids,
            )
            document.status, document.progress = DocumentStatus.READY, 1.0
            document.page_count = len(pages)
            await webhooks.emit_document_event(session, webhooks.DOCUMENT_READY, document)
        INGEST_PAGES.inc(len(pages))  # after the commit: only pages that were stored
        INGEST_DOCUMENTS.labels(DocumentStatus.READY.value).inc()

    async def _render(
        self, owner_id: int, document_id: int, media_type: str, source_url: str | None
    ) -> list[RenderedPage]:
        with tempfile.NamedTemporaryFile(prefix="paliapi-ingest-") as handle:
            async with self.db.session() as session:
                found = await read_source(
                    await driver_connection(session), owner_id, document_id, handle
                )
            if not found:
                raise BadDocument("The uploaded file is missing; upload the document again.")
            handle.flush()
            if media_type == HTML:
                # A web page: Chromium lays it out as at its URL (none: an uploaded file,
                # offline), its resources fetched under the same guard as document URLs.
                pages = await self.renderer.render_web_page(
                    Path(handle.name), source_url, outbound.url_policy()
                )
            else:
                # Office files, e-books, text: converted to a PDF first (a temporary directory).
                async with self.renderer.converted(Path(handle.name), media_type) as (path, kind):
                    count = await self.renderer.count_pages(path, kind)
                    pages = await self.renderer.render(path, kind, count)
        await self._progress(owner_id, document_id, RENDER_SHARE, page_count=len(pages))
        return pages

    async def _embed(
        self, owner_id: int, document_id: int, pages: list[RenderedPage], pool_factor: int
    ) -> tuple[list[vectors.EncodedPage], list[PatchGrid | None]]:
        """The pages' stored embeddings, a batch at a time, in page order.

        As many batches as the embedder serves at once are sent ahead (its own limit caps
        all documents together): a remote GPU decodes the next batch while it runs one, and
        Modal can run them in several containers. Each batch that comes back is pooled and
        encoded in a thread while the embedder works on the rest (~5 ms a page, ~25 with
        pooling), so only the last batch's encoding is left after the embedder's last answer,
        and float vectors are held for the batches in flight, not the whole document."""
        batches = iter(range(0, len(pages), self.batch_pages))
        sent: deque[asyncio.Task[tuple[list[MultiVector], list[PatchGrid | None]]]] = deque()
        encoding: asyncio.Task[list[vectors.EncodedPage]] | None = None
        embeddings: list[vectors.EncodedPage] = []
        grids: list[PatchGrid | None] = []

        def send_ahead() -> None:
            while len(sent) < max(self.embedder.concurrency, 1):
                start = next(batches, None)
                if start is None:
                    return
                images = [p.image for p in pages[start : start + self.batch_pages]]
                sent.append(asyncio.create_task(self.embedder.embed_pages(images)))

        try:
            send_ahead()
            while sent:
                found, batch_grids = await sent.popleft()
                send_ahead()
                if encoding is not None:
                    embeddings.extend(await encoding)
                encoding = asyncio.create_task(asyncio.to_thread(_encode, found, pool_factor))
                # Pooled tokens are clusters, not patches: no grid to lay a similarity map on.
                grids.extend(batch_grids if pool_factor == 1 else [None] * len(found))
                done = len(grids) / len(pages)
                progress = RENDER_SHARE + (1 - RENDER_SHARE) * done * 0.99
                await self._progress(owner_id, document_id, progress)
            if encoding is not None:
                embeddings.extend(await encoding)
        finally:
            _abandon([*sent, *([encoding] if encoding else [])])
        return embeddings, grids

    async def _progress(
        self, owner_id: int, document_id: int, progress: float, page_count: int | None = None
    ) -> None:
        values: dict[str, object] = {"progress": round(progress, 4)}
        if page_count is not None:
            values["page_count"] = page_count
        async with self.db.transaction() as session:
            await session.execute(
                update(Document)
                .where(col(Document.owner_id) == owner_id, col(Document.id) == document_id)
                .values(**values)
            )

    async def _fail(self, owner_id: int, document_id: int, message: str) -> None:
        async with self.db.transaction() as session:
            document = await session.get(Document, (owner_id, document_id))
            if document is None:
                return  # deleted meanwhile: nothing to fail, and nobody to tell
            document.status, document.error, document.page_count = (
                DocumentStatus.FAILED,
                message,
                0,
            )
            await webhooks.emit_document_event(session, webhooks.DOCUMENT_FAILED, document)
        INGEST_DOCUMENTS.labels(DocumentStatus.FAILED.value).inc()


def _encode(multivectors: list[MultiVector], pool_factor: int) -> list[vectors.EncodedPage]:
    return [vectors.encode(pool_tokens(v, pool_factor)) for v in multivectors]


def _abandon(tasks: list[asyncio.Task[Any]]) -> None:
    """Tasks whose results are no longer wanted (another batch failed): cancel those still
    running, and take the error of those that failed too, which asyncio would otherwise log
    as never retrieved."""
    for task in tasks:
        if not task.done():
            task.cancel()
        elif not task.cancelled():
            task.exception()


async def bind_model(
    session: AsyncSession, owner_id: int, collection_id: int, document_id: int, model: str
) -> None:
    """Check that `model` may write into the collection, in the caller's transaction.

    A collection is fixed to one model once it holds vectors: MaxSim across two models'
    vectors means nothing. A collection with none yet adopts the model that embeds it (its
    recorded model may be the default name, or another name for the same weights).
    """
    collection = await session.get(Collection, (owner_id, collection_id), with_for_update=True)
    if collection is None or collection.model == model:
        return  # deleted meanwhile (its documents went with it), or nothing to check
    others = await session.scalar(
        select(func.count())
        .select_from(PageKey)
        .where(
            col(PageKey.owner_id) == owner_id,  # one partition, by its index
            col(PageKey.collection_id) == collection_id,
            col(PageKey.document_id) != document_id,
        )
    )
    if others:
        raise PaliError(
            ErrorCode.CONFLICT,
            f"Collection {collection.name!r} is embedded with {collection.model!r}, but the "
            f"embedding service now runs {model!r}; the vectors of two models cannot be "
            f"searched together. Serve {collection.model!r} again (EMBEDDINGS_MODEL, "
            "EMBEDDINGS_URL), or upload into a new collection.",
        )
    log.info("collection %s now uses %s (was %s)", collection_id, model, collection.model)
    collection.model = model


async def requeue_stranded(db: Database) -> int:
    """Queue again every document still owed work (PENDING or PROCESSING) that has no job.

    A job can vanish while its document is mid-way: a handler that could not even record
    FAILED (the database was down) ends the job as an exception. The queue's dedupe key
    skips documents whose job is still queued or held by a live worker, so any number of
    workers may run this at once.
    """
    async with db.transaction() as session:
        ids = (
            await session.execute(
                select(col(Document.owner_id), col(Document.id)).where(
                    col(Document.status).in_([DocumentStatus.PENDING, DocumentStatus.PROCESSING])
                )
            )
        ).all()
        for owner_id, document_id in ids:
            await enqueue_ingest(session, owner_id, document_id)  # type: ignore[arg-type]
    if ids:
        log.info("checked %d unfinished documents for lost jobs", len(ids))
    return len(ids)
