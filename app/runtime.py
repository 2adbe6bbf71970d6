"""What a running process holds: the database, the embedder, the render pool, a worker."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from threadpoolctl import threadpool_limits

from app.db.engine import Database
from app.embeddings.cache import CachedEmbedder
from app.embeddings.factory import make_embedder
from app.heap import return_large_frees
from app.ingest.convert import ConvertOptions
from app.ingest.render import Renderer, RenderOptions
from app.ingest.web_page import WebPageOptions
from app.jobs import Worker
from app.services.ingestion import Ingestor, requeue_stranded
from app.services.webhook_delivery import Deliverer, requeue_stranded_deliveries
from app.settings import settings

log = logging.getLogger(__name__)
SHUTDOWN_GRACE_S = 30.0  # an ingest in flight may finish; after that it is cancelled
RESTART_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)  # seconds before restarting a crashed worker


def render_options() -> RenderOptions:
    return RenderOptions(
        dpi=settings.render_dpi,
        max_pixels=settings.render_max_pixels,
        image_format=settings.page_image_format,
        pixel_limit=settings.image_pixel_limit,
        convert=ConvertOptions(
            soffice=settings.soffice,
            timeout_s=settings.convert_timeout_s,
            memory_mb=settings.convert_memory_mb,
            max_unzipped_mb=settings.convert_max_unzipped_mb,
        ),
        web=WebPageOptions(
            chromium=settings.chromium,
            timeout_s=settings.web_page_timeout_s,
            max_pages=settings.web_page_max_pages,
        ),
    )


@dataclass
class WorkerStatus:
    """The in-process ingestion worker as `/healthz` shows it."""

    mode: str = "external"  # "in-process", or "external" (`paliapi worker` processes)
    state: str = "stopped"  # running | restarting | stopped
    reason: str | None = None

    @property
    def healthy(self) -> bool:
        return self.mode == "external" or self.state == "running"

    def describe(self) -> str:
        if self.mode == "external":
            return "external (run `paliapi worker` processes)"
        return f"{self.state}: {self.reason}" if self.reason else self.state


@dataclass
class Runtime:
    db: Database
    embedder: CachedEmbedder
    renderer: Renderer
    worker_status: WorkerStatus = field(default_factory=WorkerStatus)
    _worker: Worker | None = None
    _stopping: bool = False
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _cancel_at_close: list[asyncio.Task[None]] = field(default_factory=list)

    @classmethod
    @contextlib.asynccontextmanager
    async def start(cls, url: str, *, worker: bool) -> AsyncIterator[Runtime]:
        # The NumPy work here (MaxSim over a few pages, centroids at ingest) is small GEMMs in
        # many threads at once: BLAS's own threads only oversubscribe the cores (measured: 64
        # pages reranked in 38 ms with one BLAS thread, 307 ms with its default on 2 busy cores).
        threadpool_limits(limits=1, user_api="blas")
        return_large_frees()  # the peak of concurrent reranks does not stay resident
        runtime = cls(
            db=Database(url, pool_size=settings.db_pool_size),
            embedder=make_embedder(settings),
            renderer=Renderer(render_options(), workers=settings.render_workers),
        )
        gc.freeze()  # see `settle`
        if settings.embeddings_preload:
            runtime.spawn(runtime.settle(), "embedder-warm-up", graceful=False)
        if worker:
            runtime.worker_status.mode = "in-process"
            runtime.spawn(runtime.supervise(), "ingestion-worker")
        try:
            yield runtime
        finally:
            await runtime.close()

    async def settle(self) -> None:
        """Load the model, then move everything alive (the app, the model's Python objects) out
        of the garbage collector's sight: a full collection over a process of a loaded model
        walks millions of objects and stalls the event loop for hundreds of ms (measured under
        tests/test_event_loop_liveness.py's load: /healthz max 360 ms before, 170 ms after)."""
        await self.embedder.warm_up()
        gc.freeze()

    def spawn(
        self, work: Coroutine[Any, Any, None], name: str, *, graceful: bool = True
    ) -> asyncio.Task[None]:
        """A background task that `close` ends before releasing resources: a graceful one
        (a worker finishing its ingest) gets a grace period, any other is cancelled at once."""
        task = asyncio.create_task(work, name=name)
        (self._tasks if graceful else self._cancel_at_close).append(task)
        return task

    def worker(self) -> Worker:
        ingestor = Ingestor(
            self.db, self.embedder, self.renderer, batch_pages=settings.embed_batch_pages
        )
        return Worker(
            self.db.url,
            ingestor.process,
            heartbeat=timedelta(seconds=settings.job_heartbeat_s),
            deliver=Deliverer(self.db).deliver,
        )

    async def _requeue_then_run(self, worker: Worker) -> None:
        # Jobs lost with a crash (a worker killed, the database restarted) come back first.
        await requeue_stranded(self.db)
        await requeue_stranded_deliveries(self.db)
        await worker.run()

    async def supervise(self) -> None:
        """Run the in-process worker; a crash (the database went away, say) restarts it."""
        failures = 0
        while not self._stopping:
            started = time.monotonic()
            self._worker = self.worker()
            self.worker_status.state, self.worker_status.reason = "running", None
            try:
                await self._requeue_then_run(self._worker)
            except Exception as exc:
                reason = f"{type(exc).__name__}: {exc}"
                failures = 0 if time.monotonic() - started > 300 else failures + 1
                delay = RESTART_DELAYS[min(failures, len(RESTART_DELAYS)) - 1]
                log.error("the ingestion worker stopped (%s); restarting in %.0f s", reason, delay)
                self.worker_status.state, self.worker_status.reason = "restarting", reason
                await asyncio.sleep(delay)
            else:
                break
        self.worker_status.state = "stopped"

    async def run_worker(self, stop: asyncio.Event) -> str | None:
        """`paliapi worker`: one worker until `stop` is set. If it dies first, the reason.

        No restart in-process: the process exits non-zero and its supervisor (compose,
        systemd, Kubernetes) restarts it, which also shows the crash to the operator.
        """
        worker = self._worker = self.worker()
        task = self.spawn(self._requeue_then_run(worker), "ingestion-worker")
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if not task.done():
            return None
        error = task.exception()
        return f"{type(error).__name__}: {error}" if error else "the worker returned on its own"

    async def close(self) -> None:
        """Stop the worker (a grace period, then cancel), then release everything opened."""
        self._stopping = True
        if self._worker is not None:
            self._worker.stop()
        for task in self._cancel_at_close:
            task.cancel()
        await asyncio.gather(*self._cancel_at_close, return_exceptions=True)
        tasks = self._tasks
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=SHUTDOWN_GRACE_S)
            for task in pending:
                log.warning(
                    "%s still running after %.0f s; cancelled", task.get_name(), SHUTDOWN_GRACE_S
                )
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        closers: list[Callable[[], Awaitable[None]]] = [
            self.renderer.close_browser,
            self.embedder.aclose,
            self.db.dispose,
        ]
        try:
            self.renderer.close()
        finally:
            for close in closers:
                try:
                    await close()
                except Exception:
                    log.exception("closing %s failed", close)
