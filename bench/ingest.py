"""Ingestion throughput on this machine: rendering, embedding (tiny model), database write.

    python -m bench.ingest [--pages 120] [--write-pages 1000] [--write-runs 5] [--graph-pages 10000]
        [--embed-model vidore/colSmol-256M]

Rendering: a real multi-page PDF through the service's process pool, per page-image format.
Embedding: one ingest batch on the CPU (the tiny ColQwen2, or `--embed-model`), per token
budget, with its longest forward pass: what a search's query waits for at most meanwhile.
Encoding: a page's int8 vectors, centroids and pooled key, without and with token pooling.
Document: one PDF end to end through the worker's Ingestor, the tiny model served over HTTP
by `gpu.server` on a core of its own, per poolFactor and batches in flight, with the time a
search's query embedding takes meanwhile.
Database write: 1,030x128 multi-vectors per page through the service's bulk path (binary
COPY of pages and int8 embeddings, one transaction), against the seed's way (one INSERT per
page embedding row, a `halfvec(128)[]`), in the same run on the same embedded Postgres.
HNSW upkeep: what the first stage's index costs a write once the owner has many pages (the
write above starts from an empty graph).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import numpy as np
import pymupdf
from pgvector import HalfVector
from pgvector.asyncpg import register_vector
from sqlalchemy import select
from sqlmodel import col
from starlette.datastructures import UploadFile

from app.db import migrate
from app.db.embedded import start_embedded_postgres
from app.db.engine import Database, plain_dsn
from app.db.models import Collection, Document, DocumentStatus, SourceKind, User
from app.db.page_store import driver_connection, replace_pages, write_embeddings
from app.db.vectors import CENTROIDS, encode
from app.embeddings.http import HttpEmbedder
from app.ingest.render import RenderedPage, Renderer, RenderOptions
from app.ingest.token_pooling import pool_tokens
from app.services.ingestion import Ingestor
from app.services.uploads import Source, upload_document
from app.services.users import create_user
from bench.storage import stored_bytes_per_page
from gpu.engine import CPU_TOKEN_BUDGET, GPU_TOKEN_BUDGET, Engine, EngineOptions
from gpu.tiny_model import build_tiny_colqwen2
from gpu.turns import Turns


def make_pdf(path: Path, pages: int) -> None:
    document = pymupdf.open()
    for number in range(1, pages + 1):
        page = document.new_page(width=612, height=792)
        page.insert_text((72, 72), f"Quarterly report, page {number}", fontsize=18)
        for line in range(45):
            page.insert_text(
                (72, 100 + line * 14),
                f"Line {line}: revenue, costs and budget figures for team {line % 7}.",
                fontsize=10,
            )
        page.draw_rect(pymupdf.Rect(72, 740, 72 + 4 * (number % 100), 760), fill=(0.2, 0.4, 0.8))
    document.save(path)
    document.close()


async def bench_render(pdf: Path, pages: int) -> list[RenderedPage]:
    kept: list[RenderedPage] = []
    for fmt in ("webp", "jpeg", "png"):
        renderer = Renderer(RenderOptions(image_format=fmt), workers=2)
        await renderer.count_pages(pdf, "application/pdf")  # start the pool
        started = time.perf_counter()
        rendered = await renderer.render(pdf, "application/pdf", pages)
        elapsed = time.perf_counter() - started
        renderer.close()
        size = sum(len(p.image) for p in rendered) / len(rendered)
        print(
            f"render {fmt:5s}: {len(rendered) / elapsed:7.1f} pages/s  {size / 1024:6.1f} KiB/page  ({rendered[0].width}x{rendered[0].height})"
        )
        if fmt == "webp":
            kept = rendered
    return kept


class TimedTurns(Turns):
    """The engine's turns, with how long each forward pass held one."""

    def __init__(self) -> None:
        super().__init__()
        self.held: list[float] = []

    @contextmanager
    def turn(self, *, query: bool) -> Iterator[None]:
        with super().turn(query=query):
            started = time.perf_counter()
            yield
            self.held.append(time.perf_counter() - started)


def bench_embed(pages: list[RenderedPage], model: str | None) -> None:
    """One ingest batch (16 pages) on the CPU, per token budget: pages/s, and the longest
    forward pass, which is what a search's query may wait for meanwhile (gpu/turns.py)."""
    name = model or str(
        build_tiny_colqwen2(Path(tempfile.mkdtemp()) / "tiny", max_visual_tokens=768)
    )
    label = model or "tiny ColQwen2, 768 visual tokens"
    batch = [p.image for p in pages[:16]]
    for budget in (CPU_TOKEN_BUDGET, GPU_TOKEN_BUDGET):
        engine = Engine(name, EngineOptions(device="cpu", token_budget=budget))
        engine.embed_images(batch[:1])  # warm
        engine.turns = timed = TimedTurns()
        started = time.perf_counter()
        engine.embed_images(batch)
        rate = len(batch) / (time.perf_counter() - started)
        print(
            f"embed ({label}, CPU), {len(batch)} pages, token budget {budget:6d}: {rate:6.2f}"
            f" pages/s, {len(timed.held)} passes, longest {max(timed.held):.2f} s"
        )


async def bench_encode() -> None:
    """The worker's encoding of one page, as `bench_write` times it, and with `poolFactor` 3
    (hierarchical pooling of the tokens first)."""
    rng = np.random.default_rng(2)
    pages = rng.standard_normal((40, 1030, 128)).astype(np.float32)
    pages /= np.linalg.norm(pages, axis=2, keepdims=True)
    multivectors = [v.astype(np.float16) for v in pages]
    for factor in (1, 3):
        started = time.perf_counter()
        for v in multivectors:
            encode(pool_tokens(v, factor))
        rate = len(multivectors) / (time.perf_counter() - started)
        print(
            f"encode (int8 + {CENTROIDS} centroids), poolFactor {factor}, 1,030 tokens a page:"
            f" {rate:7.1f} pages/s"
        )


@contextmanager
def embedding_server(model: Path) -> Iterator[str]:
    """`python -m gpu.server` with the tiny model, as on a GPU box: in a process of its own,
    on a core of its own (the machine's last), so the worker's CPU work is the worker's."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    core = max(os.sched_getaffinity(0))
    command = [sys.executable, "-m", "gpu.server", "--model", str(model), "--device", "cpu"]
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        env={**os.environ, "OMP_NUM_THREADS": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.sched_setaffinity(server.pid, {core})  # before torch starts its threads, which inherit it
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError(f"python -m gpu.server did not answer at {url} within 60 s")
        yield url
    finally:
        server.terminate()
        server.wait()


async def query_waits(embedder: HttpEmbedder, ingest: asyncio.Task[None]) -> list[float]:
    """A search's query embedding every 0.5 s through the same embedder while `ingest` runs,
    as in `paliapi serve` with its worker: how long each took (ms)."""
    waits = []
    while not ingest.done():
        started = time.perf_counter()
        await embedder.embed_queries(["quarterly revenue by team"])
        waits.append((time.perf_counter() - started) * 1000)
        await asyncio.wait([ingest], timeout=0.5)
    await ingest
    return waits


async def bench_document(url: str, pdf: Path, pages: int, warm_image: bytes) -> None:
    """A document end to end through the worker's Ingestor (read, render, embed over HTTP,
    pool and encode, write), from PENDING to READY, per poolFactor and batches in flight;
    and how long a search's query embedding takes meanwhile."""
    model = build_tiny_colqwen2(Path(tempfile.mkdtemp()) / "tiny", max_visual_tokens=768)
    db = Database(url, pool_size=2)
    renderer = Renderer(RenderOptions(), workers=2)
    async with db.transaction() as session:
        owner, _ = await create_user(session=session, name="document-bench")
        assert owner.id is not None
        for factor in (1, 3):
            session.add(
                Collection(
                    owner_id=owner.id, name=f"f{factor}", model=str(model), pool_factor=factor
                )
            )
    with embedding_server(model) as server:
        warm = HttpEmbedder(server, model_name=str(model))
        await warm.embed_images([warm_image])  # the model loaded before the first timing
        await warm.aclose()
        # poolFactor, batches in flight (EMBEDDINGS_CONCURRENCY): one at a time, then four.
        for factor, concurrency in ((1, 1), (1, 4), (3, 4)):
            embedder = HttpEmbedder(server, model_name=str(model), concurrency=concurrency)
            document = await upload_document(
                db=db,
                renderer=renderer,
                owner=owner,
                collection_name=f"f{factor}",
                name=f"report-{concurrency}.pdf",
                source=Source(file=UploadFile(io.BytesIO(pdf.read_bytes()))),
            )
            assert document.id is not None
            started = time.perf_counter()
            ingest = asyncio.create_task(
                Ingestor(db, embedder, renderer).process(owner.id, document.id)
            )
            waits = await query_waits(embedder, ingest)
            elapsed = time.perf_counter() - started
            await embedder.aclose()
            async with db.session() as session:
                status = await session.scalar(
                    select(col(Document.status)).where(
                        col(Document.owner_id) == owner.id, col(Document.id) == document.id
                    )
                )
            assert status == DocumentStatus.READY, status
            print(
                f"document end to end, poolFactor {factor}, {concurrency} batch(es) in flight"
                f" ({pages} pages, tiny model over HTTP on one core): {elapsed:6.2f} s,"
                f" {pages / elapsed:5.1f} pages/s; a query meanwhile: p50"
                f" {np.percentile(waits, 50):5.0f} ms, max {max(waits):5.0f} ms ({len(waits)})"
            )
    renderer.close()
    await db.dispose()


async def bench_write(url: str, count: int, runs: int) -> None:
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((count, 1030, 128)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=2, keepdims=True)
    multivectors = [v.astype(np.float16) for v in vectors]
    image = b"\x00" * 60_000  # a typical compressed page image
    pages = [
        RenderedPage(i + 1, 800, 1000, image, "image/webp", f"page {i + 1}") for i in range(count)
    ]

    db = Database(url, pool_size=2)
    async with db.transaction() as session:
        user = User(name="bench", token_sha256="0" * 64)
        session.add(user)
        await session.flush()
        assert user.id is not None
        collection = Collection(owner_id=user.id, name="bench", model="m")
        session.add(collection)
        await session.flush()
        assert collection.id is not None
        owner_id, collection_id = user.id, collection.id

    encoded = [encode(v) for v in multivectors]  # timed by bench_encode

    # One document after another into the same tables, as a worker writes them: one write
    # alone swings by half from run to run on a shared 2-core machine.
    full_rates = []
    for run in range(runs):
        async with db.transaction() as session:
            document = Document(
                collection_id=collection_id,
                owner_id=owner_id,
                name=f"d{run}",
                source=SourceKind.UPLOAD,
            )
            session.add(document)
            await session.flush()
            assert document.id is not None
            place: dict[str, Any] = {
                "owner_id": owner_id,
                "collection_id": collection_id,
                "document_id": document.id,
                "model": "m",
            }
        started = time.perf_counter()
        async with db.transaction() as session:
            await replace_pages(session, pages=pages, embeddings=encoded, **place)
        full_rates.append(count / (time.perf_counter() - started))
    # The embeddings alone (what the seed's per-row way writes), pages already in place.
    async with db.transaction() as session:
        conn = await driver_connection(session)
        page_ids = [
            r["id"]
            for r in await conn.fetch(
                "SELECT id FROM pages WHERE owner_id = $1 AND document_id = $2 ORDER BY number",
                place["owner_id"],
                place["document_id"],
            )
        ]
        await conn.execute("TRUNCATE page_embeddings, page_centroids, page_keys")
    async with db.transaction() as session:
        conn = await driver_connection(session)
        started = time.perf_counter()
        await write_embeddings(conn, page_ids, embeddings=encoded, **place)
    service_rate = count / (time.perf_counter() - started)
    async with db.session() as session:
        stored = await stored_bytes_per_page(session, owner_id)
    await db.dispose()

    connection = await asyncpg.connect(plain_dsn(url))
    await register_vector(connection)
    await connection.execute("DROP TABLE IF EXISTS seed_page_embeddings")
    await connection.execute(
        "CREATE TABLE seed_page_embeddings (id bigserial PRIMARY KEY, page_id bigint, embedding halfvec(128)[])"
    )
    seed_count = min(count, 300)
    started = time.perf_counter()
    async with connection.transaction():
        for i, v in enumerate(multivectors[:seed_count]):
            await connection.execute(
                "INSERT INTO seed_page_embeddings (page_id, embedding) VALUES ($1, $2)",
                i,
                [HalfVector(row) for row in v],
            )
    seed_rate = seed_count / (time.perf_counter() - started)
    seed_size = await connection.fetchval(
        "SELECT avg(pg_column_size(embedding)) FROM seed_page_embeddings"
    )
    await connection.close()
    print(
        f"db write, service, embeddings (binary COPY, one transaction): {service_rate:7.1f} pages/s ({count} pages)"
    )
    print(
        f"db write, service, pages with 60 KB images + embeddings:       {np.median(full_rates):7.1f} pages/s"
        f" (median of {runs} documents; {min(full_rates):.0f}-{max(full_rates):.0f})"
    )
    print(
        f"db write, seed (one INSERT per row, halfvec[]):               {seed_rate:7.1f} pages/s ({seed_count} pages)"
    )
    print(
        f"speed-up: {service_rate / seed_rate:.1f}x   stored per page: service {stored / 1024:.1f} KiB, seed {seed_size / 1024:.1f} KiB"
    )


async def bench_graph_upkeep(url: str, corpus: int, count: int = 1000) -> None:
    """What the HNSW index adds to a write once the owner has `corpus` pages: `count` more
    rows COPYed into a table like `page_keys` with its indexes (one partition's graph, as the
    migrations build it)."""
    rng = np.random.default_rng(1)
    pooled = rng.standard_normal((corpus + count, 128)).astype(np.float32)
    pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
    columns = [
        *("page_id", "owner_id", "collection_id", "document_id", "model"),
        *("dim", "page_vector", "coarse"),
    ]
    connection = await asyncpg.connect(plain_dsn(url))
    await register_vector(connection)
    await connection.execute(
        "CREATE TABLE graph_upkeep (LIKE page_keys INCLUDING INDEXES INCLUDING DEFAULTS)"
    )

    async def write(first: int, last: int) -> None:
        rows = [(i, 1, 1, 1, "m", 128, HalfVector(pooled[i]), b"") for i in range(first, last)]
        await connection.copy_records_to_table("graph_upkeep", columns=columns, records=rows)

    await write(0, corpus)
    started = time.perf_counter()
    async with connection.transaction():
        await write(corpus, corpus + count)
    elapsed = time.perf_counter() - started
    await connection.execute("DROP TABLE graph_upkeep")
    await connection.close()
    print(
        f"HNSW upkeep, {count} pages into a graph of {corpus}: {elapsed * 1000 / count:.2f} ms a page"
    )


async def run(args: argparse.Namespace, tmp: Path, url: str) -> None:
    pdf = tmp / "report.pdf"
    make_pdf(pdf, args.pages)
    pages = await bench_render(pdf, args.pages)
    bench_embed(pages, args.embed_model)
    await bench_encode()
    await bench_document(url, pdf, args.pages, pages[0].image)
    await bench_write(url, args.write_pages, args.write_runs)
    await bench_graph_upkeep(url, args.graph_pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--write-pages", type=int, default=1000)
    parser.add_argument("--write-runs", type=int, default=5, help="documents written in turn")
    parser.add_argument("--graph-pages", type=int, default=10_000)
    parser.add_argument(
        "--embed-model",
        help="a checkpoint (name or path) to time on the CPU instead of the tiny model",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = start_embedded_postgres(Path(tmp) / "data", database="bench")
        migrate.upgrade(url)  # alembic runs its own event loop: before ours starts
        asyncio.run(run(args, Path(tmp), url))


if __name__ == "__main__":
    main()
