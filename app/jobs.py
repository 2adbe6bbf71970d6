"""The ingestion job queue (pgqueuer on the same Postgres): enqueue, and the worker loop.

A job carries only a document id; the document row is the source of truth. Jobs are
enqueued in the transaction that creates the document, deduplicated per document, and a
job whose worker dies (SIGKILL, power loss) is picked again once its heartbeat goes stale.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

import asyncpg
from pgqueuer import AsyncpgDriver, Job, Queries, QueueManager
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.page_store import driver_connection

log = logging.getLogger(__name__)
INGEST = "ingest_document"


async def enqueue_ingest(session: AsyncSession, document_id: int) -> None:
    """Queue a document for ingestion, inside the caller's transaction."""
    queries = Queries(AsyncpgDriver(await driver_connection(session)))
    await queries.enqueue(
        INGEST, str(document_id).encode(), dedupe_key=f"document:{document_id}", on_conflict="skip"
    )


class Worker:
    """Runs ingestion jobs until stopped; any number of workers share one queue."""

    def __init__(
        self,
        dsn: str,
        handler: Callable[[int], Awaitable[None]],
        *,
        heartbeat: timedelta,
        concurrency: int = 1,
    ) -> None:
        self.dsn = dsn.replace("postgresql+asyncpg://", "postgresql://")
        self.handler = handler
        self.heartbeat = heartbeat
        self.concurrency = concurrency
        self._manager: QueueManager | None = None

    async def run(self) -> None:
        connection = await asyncpg.connect(self.dsn)
        manager = QueueManager(Queries(AsyncpgDriver(connection)))
        self._manager = manager

        @manager.entrypoint(INGEST, concurrency_limit=self.concurrency)
        async def ingest(job: Job) -> None:
            if job.payload is None:
                return
            await self.handler(int(job.payload.decode()))

        try:
            await manager.run(
                dequeue_timeout=timedelta(seconds=5),
                batch_size=1,
                heartbeat_timeout=self.heartbeat,
            )
        finally:
            await connection.close()

    def stop(self) -> None:
        if self._manager is not None:
            self._manager.shutdown.set()
