"""The ingestion job queue (pgqueuer on the same Postgres): enqueue, and the worker loop.

A job names its document as (owner id, document id); the document row is the source of
truth. The owner comes first so that every statement a job runs names its tenant (on Citus, a
query routed to one shard; by id alone it would go to every shard, and FOR UPDATE would fail).
Jobs are enqueued in the transaction that creates the document, deduplicated per document, and a
job whose worker dies (SIGKILL, power loss) is picked again once its heartbeat goes stale.

Fairness: a worker runs several jobs at once (`PALIAPI_WORKER_CONCURRENCY`), and each user
holds at most `PALIAPI_MAX_CONCURRENT_INGESTS_PER_USER` of the running jobs across every
worker. A job whose owner is at that cap goes back to the queue for a moment instead of
holding a slot, so one user's thousand queued pages never make another user's page wait.

Webhook deliveries share the queue under their own entrypoint, run by a second manager in
the same worker with its own slots (`PALIAPI_WEBHOOK_CONCURRENCY`): a long ingest never holds
a notification back. A delivery job names its delivery the same way; its row says what to send.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import asyncpg
from pgqueuer import AsyncpgDriver, Job, Queries, QueueManager, RetryRequested
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.engine import database_away, plain_dsn
from app.db.page_store import driver_connection
from app.settings import settings

log = logging.getLogger(__name__)
INGEST = "ingest_document"
WEBHOOK = "deliver_webhook"
# Advisory-lock keys of the per-user slots: (SLOT_NAMESPACE + slot, owner id).
SLOT_NAMESPACE = 0x5A1_0000
# A deferred job waits longer each time it finds its owner at the cap, up to this: with
# many queued jobs of one user, workers do not spin re-picking them.
MAX_DEFER_S = 10.0
DELIVERY_POLL = timedelta(seconds=1)  # see `Worker._run_deliveries`


def payload(owner_id: int, row_id: int) -> bytes:
    """A job's payload: the owner's id and its row's (migration 0017 rewrote older jobs)."""
    return f"{owner_id}/{row_id}".encode()


def parse_payload(data: bytes) -> tuple[int, int]:
    owner, slash, row = data.decode().partition("/")
    if not (slash and owner.isdigit() and row.isdigit()):
        # Queued by a process older than migration 0017 after it ran: the job fails, and the
        # next worker start queues its row again (`requeue_stranded*`) in this form.
        raise ValueError(f"job payload {data!r} is not `owner_id/id`")
    return int(owner), int(row)


async def enqueue_ingest(session: AsyncSession, owner_id: int, document_id: int) -> None:
    """Queue a document for ingestion, inside the caller's transaction."""
    queries = Queries(AsyncpgDriver(await driver_connection(session)))
    await queries.enqueue(
        INGEST,
        payload(owner_id, document_id),
        dedupe_key=f"document:{document_id}",
        on_conflict="skip",
    )


async def enqueue_deliveries(session: AsyncSession, deliveries: list[tuple[int, int]]) -> None:
    """Queue webhook deliveries, each (owner id, delivery id), inside the caller's transaction
    (the one that records them)."""
    if not deliveries:
        return
    queries = Queries(AsyncpgDriver(await driver_connection(session)))
    await queries.enqueue(
        [WEBHOOK] * len(deliveries),
        [payload(owner_id, i) for owner_id, i in deliveries],
        [0] * len(deliveries),
        dedupe_key=[f"webhook-delivery:{i}" for _, i in deliveries],
        on_conflict="skip",
    )


@dataclass(frozen=True)
class QueueState:
    jobs: int
    oldest_s: float  # age of the oldest job in this state


async def queue_stats(session: AsyncSession) -> dict[str, QueueState]:
    """Jobs per pgqueuer status (`queued`, `picked`, ...), with the oldest one's age."""
    rows = (
        await session.execute(
            text(
                "SELECT status::text AS status, count(*) AS jobs,"
                " EXTRACT(EPOCH FROM now() - min(created)) AS oldest"
                " FROM pgqueuer GROUP BY status"
            )
        )
    ).all()
    return {row.status: QueueState(int(row.jobs), float(row.oldest or 0.0)) for row in rows}


def defer_delay(attempts: int) -> timedelta:
    """How long a job whose owner is at the cap waits before it is picked again."""
    seconds = min(0.5 * (attempts + 1), MAX_DEFER_S)
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))  # noqa: S311 (jitter only)


@asynccontextmanager
async def user_slot(pool: asyncpg.Pool, owner_id: int, per_user: int) -> AsyncIterator[bool]:
    """One of the owner's `per_user` slots, held while the block runs; or False.

    A slot is a session advisory lock on a connection kept for the job's duration: shared by
    every worker, and released by Postgres itself if the worker dies.
    """
    async with pool.acquire() as connection:
        # Owner ids past 2**31 share slots with another owner: harmless, and far away.
        key = owner_id % 2_147_483_647
        for slot in range(per_user):
            if await connection.fetchval(
                "SELECT pg_try_advisory_lock($1, $2)", SLOT_NAMESPACE + slot, key
            ):
                try:
                    yield True
                finally:
                    # A lost connection (a database restart) has dropped the lock already.
                    with contextlib.suppress(asyncpg.PostgresError, OSError):
                        await connection.execute(
                            "SELECT pg_advisory_unlock($1, $2)", SLOT_NAMESPACE + slot, key
                        )
                return
        yield False


class Worker:
    """Runs ingestion jobs until stopped; any number of workers share one queue."""

    def __init__(
        self,
        dsn: str,
        handler: Callable[[int, int], Awaitable[None]],
        *,
        heartbeat: timedelta,
        concurrency: int | None = None,
        per_user: int | None = None,
        deliver: Callable[[int, int], Awaitable[timedelta | None]] | None = None,
    ) -> None:
        self.dsn = plain_dsn(dsn)
        self.handler = handler
        self.heartbeat = heartbeat
        # pgqueuer needs room for two batches of one job: at least 2.
        self.concurrency = max(2, concurrency or settings.worker_concurrency)
        self.per_user = per_user or settings.max_concurrent_ingests_per_user
        # Sends one webhook delivery; returns how long to wait before the next attempt, or
        # None when done. None: this worker takes no deliveries.
        self.deliver = deliver
        self._manager: QueueManager | None = None
        self._delivery_manager: QueueManager | None = None
        self._stopped = False

    async def run(self) -> None:
        connection = await asyncpg.connect(self.dsn)
        slots: asyncpg.Pool | None = None
        try:
            slots = await asyncpg.create_pool(self.dsn, min_size=0, max_size=self.concurrency)
            manager = QueueManager(Queries(AsyncpgDriver(connection)))
            self._manager = manager

            @manager.entrypoint(INGEST)
            async def ingest(job: Job) -> None:
                if job.payload is None:
                    return
                owner_id, document_id = parse_payload(job.payload)
                async with contextlib.AsyncExitStack() as stack:
                    try:
                        held = await stack.enter_async_context(
                            user_slot(slots, owner_id, self.per_user)
                        )
                    except (asyncpg.PostgresError, OSError) as exc:
                        # The database is away: back to the queue, not a failed job.
                        raise RetryRequested(
                            delay=defer_delay(job.attempts), reason=str(exc)
                        ) from exc
                    if not held:
                        raise RetryRequested(
                            delay=defer_delay(job.attempts), reason="owner at the ingest cap"
                        )
                    try:
                        await self.handler(owner_id, document_id)
                    except Exception as exc:
                        if not database_away(exc):
                            raise
                        # A restart mid-ingest: the document starts again once it is back.
                        raise RetryRequested(
                            delay=defer_delay(job.attempts), reason=str(exc)
                        ) from exc

            if self._stopped:
                manager.shutdown.set()
            ingests = manager.run(
                dequeue_timeout=timedelta(seconds=5),
                batch_size=1,
                max_concurrent_tasks=self.concurrency,
                heartbeat_timeout=self.heartbeat,
            )
            if self.deliver is None:
                await ingests
            else:
                # Either loop failing ends both: the supervisor restarts the worker whole.
                async with asyncio.TaskGroup() as group:
                    group.create_task(ingests)
                    group.create_task(self._run_deliveries(self.deliver))
        finally:
            if slots is not None:
                await slots.close()
            await connection.close()

    async def _run_deliveries(
        self, deliver: Callable[[int, int], Awaitable[timedelta | None]]
    ) -> None:
        connection = await asyncpg.connect(self.dsn)
        try:
            manager = QueueManager(Queries(AsyncpgDriver(connection)))
            self._delivery_manager = manager

            @manager.entrypoint(WEBHOOK)
            async def send(job: Job) -> None:
                if job.payload is None:
                    return
                try:
                    retry_in = await deliver(*parse_payload(job.payload))
                except Exception as exc:
                    if not database_away(exc):
                        raise
                    raise RetryRequested(delay=defer_delay(job.attempts), reason=str(exc)) from exc
                if retry_in is not None:
                    # The same job again, later: its delivery keeps its `webhook-id`.
                    raise RetryRequested(delay=retry_in, reason="the endpoint did not accept it")

            if self._stopped:
                manager.shutdown.set()
            await manager.run(
                # A retry re-queues its job with an UPDATE, and pgqueuer's change trigger (a
                # statement trigger, whose OLD and NEW are null) notifies only inserts and
                # deletes: a manager already waiting sees the retry come due only when its
                # wait ends. A short wait keeps retries within a second of their schedule.
                dequeue_timeout=DELIVERY_POLL,
                batch_size=1,
                max_concurrent_tasks=max(2, settings.webhook_concurrency),
                heartbeat_timeout=self.heartbeat,
            )
        finally:
            await connection.close()

    def stop(self) -> None:
        self._stopped = True  # a manager not built yet stops as soon as it is
        for manager in (self._manager, self._delivery_manager):
            if manager is not None:
                manager.shutdown.set()
