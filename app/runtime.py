"""What a running process holds: the database, the embedder, the render pool, a worker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

from app.db.engine import Database
from app.embeddings.cache import CachedEmbedder
from app.embeddings.factory import make_embedder
from app.ingest.render import Renderer, RenderOptions
from app.jobs import Worker
from app.search.centroid_index import CentroidIndexCache
from app.services.ingestion import Ingestor
from app.settings import settings

log = logging.getLogger(__name__)


def render_options() -> RenderOptions:
    return RenderOptions(
        dpi=settings.render_dpi,
        max_pixels=settings.render_max_pixels,
        image_format=settings.page_image_format,
        pixel_limit=settings.image_pixel_limit,
    )


def _log_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("the ingestion worker stopped", exc_info=task.exception())


@dataclass
class Runtime:
    db: Database
    embedder: CachedEmbedder
    renderer: Renderer
    search_cache: CentroidIndexCache

    @classmethod
    @contextlib.asynccontextmanager
    async def start(cls, url: str, *, worker: bool) -> AsyncIterator[Runtime]:
        runtime = cls(
            db=Database(url, pool_size=settings.db_pool_size),
            embedder=make_embedder(settings),
            renderer=Renderer(render_options(), workers=settings.render_workers),
            search_cache=CentroidIndexCache(settings.search_cache_mb * 1024 * 1024),
        )
        task: asyncio.Task[None] | None = None
        job_worker = runtime.worker() if worker else None
        if job_worker is not None:
            task = asyncio.create_task(job_worker.run(), name="ingestion-worker")
            task.add_done_callback(_log_crash)
        try:
            yield runtime
        finally:
            if job_worker is not None and task is not None:
                job_worker.stop()
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.wait_for(task, timeout=30)
            runtime.renderer.close()
            await runtime.embedder.aclose()
            await runtime.db.dispose()

    def worker(self) -> Worker:
        ingestor = Ingestor(
            self.db, self.embedder, self.renderer, batch_pages=settings.embed_batch_pages
        )
        return Worker(
            self.db.url, ingestor.process, heartbeat=timedelta(seconds=settings.job_heartbeat_s)
        )
