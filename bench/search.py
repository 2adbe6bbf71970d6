"""Search latency and quality on structured synthetic multi-vectors, against the seed's SQL.

    python -m bench.search [--pages 1000,10000,100000] [--generators easy,hard] [--queries 40]
                           [--k 3] [--candidates 1000] [--json]

Data (bench/synthetic.py): documents of 10 pages of 1,030 tokens x 128 dims scattered
around per-document topic directions; a query is ~20 noisy copies of tokens of one chosen
page, so the right page is known; the `hard` generator shares topics across documents and
background tokens across pages, and its queries are not copies of page tokens. Pages are loaded through the service's own bulk write
path (int8 codes + centroids, binary COPY).

Methods, on the same data in one run (query embedding excluded everywhere):
- service: `app.services.search.search_embedded`, the code behind the GraphQL `search`
  (scope SQL, HNSW scan over pooled page vectors + centroid MaxSim, exact MaxSim rerank);
- seed SQL: the seed's `max_sim` SQL function over a `halfvec(128)[]` column, every page;
- NumPy: exact MaxSim over every page held in memory (the reference for recall).
Exhaustive methods cost the same per page, so past `--exhaustive-pages` they are timed on
that many pages and scaled to the full count (marked `*_extrapolated` in the JSON).

The service's latency is reported twice: its first pass over the queries, each reading its
pages into Postgres' buffers for the first time, and a warm pass of the same queries.
Also reported: the latency/recall curves over `--sweep` (PALIAPI_SEARCH_CANDIDATES; "pulls" is
what the scope's size makes of it) and `--rerank-sweep`; this process's RSS before and after
searching (the service runs in it); the time from a commit to the first search that finds the
new page; and `--clients` searching at once for `--concurrency-s`: searches/s, the event
loop's lag meanwhile, and the peak RSS it took.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import numpy as np
from numpy.typing import NDArray
from pgvector import HalfVector
from pgvector.asyncpg import register_vector
from sqlalchemy import text
from threadpoolctl import threadpool_limits

from app import heap
from app.db import migrate
from app.db.embedded import start_embedded_postgres
from app.db.engine import Database, plain_dsn
from app.db.models import User
from app.db.page_store import driver_connection
from app.db.vectors import EncodedPage, encode
from app.heap import return_large_frees
from app.ingest.token_pooling import pool_tokens
from app.search.first_stage import stage_sizes
from app.services.search import SearchRequest, search_embedded
from app.settings import settings
from bench.storage import stored_bytes_per_page
from bench.synthetic import (
    F16,
    F32,
    GENERATORS,
    PAGES_PER_DOC,
    exact_maxsim,
    insert_documents,
    write_document,
)

MODEL = "bench-model"
CHUNK_DOCS = 50  # documents per worker task: 500 pages, ~130 MB of float16

# The seed's scoring: every page, in SQL, over an array of halfvecs (inner product).
SEED_SQL = """
CREATE OR REPLACE FUNCTION max_sim(document halfvec[], query halfvec[]) RETURNS double precision AS $$
    WITH queries AS (
        SELECT row_number() OVER () AS query_number, * FROM (SELECT unnest(query) AS query)
    ),
    documents AS (SELECT unnest(document) AS document),
    similarities AS (
        SELECT query_number, (document <#> query) * -1 AS similarity
        FROM queries CROSS JOIN documents
    ),
    max_similarities AS (
        SELECT MAX(similarity) AS max_similarity FROM similarities GROUP BY query_number
    )
    SELECT SUM(max_similarity) FROM max_similarities
$$ LANGUAGE SQL
"""


@dataclass
class Chunk:
    first_doc: int
    encoded: list[EncodedPage]
    exact: F32  # (queries, pages of the chunk)
    raw: F16 | None  # kept for the exhaustive methods' sample


def build_chunk(
    generator: str,
    seed: int,
    first_doc: int,
    docs: int,
    queries: F32,
    keep: bool,
    pool_factor: int = 1,
) -> Chunk:
    document_pages = GENERATORS[generator][0]
    # One BLAS thread per worker process: two processes on two cores already fill them, and
    # BLAS threads spinning for cores the other process holds cost several times the work.
    with threadpool_limits(1, "blas"):
        pages = np.concatenate(
            [document_pages(seed, d) for d in range(first_doc, first_doc + docs)]
        )
        # Recall is always against exact MaxSim over the unpooled pages: pooling's cost shows.
        return Chunk(
            first_doc,
            [encode(pool_tokens(p, pool_factor)) for p in pages],
            exact_maxsim(queries, pages),
            pages if keep else None,
        )


@dataclass
class Loaded:
    owner: User
    page_ids: NDArray[np.int64]  # DB id of global page i
    exact: F32  # (queries, pages)
    sample: F16  # the first pages, for the exhaustive methods
    load_s: float


async def load(
    db: Database,
    generator: str,
    seed: int,
    pages: int,
    queries: F32,
    sample_pages: int,
    tag: str,
    pool_factor: int = 1,
) -> Loaded:
    documents = pages // PAGES_PER_DOC
    async with db.transaction() as session:
        owner = User(name=f"bench-{tag}", token_sha256=f"{tag:0>64}"[-64:])
        session.add(owner)
        await session.flush()
        assert owner.id is not None
        conn = await driver_connection(session)
        collection_id = await conn.fetchval(
            "INSERT INTO collections (owner_id, name, model, metadata) "
            "VALUES ($1, 'bench', $2, '{}') RETURNING id",
            owner.id,
            MODEL,
        )
        doc_ids = await insert_documents(
            conn, owner_id=owner.id, collection_id=collection_id, count=documents
        )
    page_ids = np.zeros(pages, dtype=np.int64)
    exact = np.zeros((len(queries), pages), dtype=np.float32)
    kept: list[F16] = []
    started = time.perf_counter()
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(2) as pool:
        futures = [
            loop.run_in_executor(
                pool,
                build_chunk,
                generator,
                seed,
                first,
                min(CHUNK_DOCS, documents - first),
                queries,
                first * PAGES_PER_DOC < sample_pages,
                pool_factor,
            )
            for first in range(0, documents, CHUNK_DOCS)
        ]
        while futures:
            # Popped, so a written chunk's ~70 MB of vectors is freed: holding them all made
            # the bench process the size of the corpus and starved Postgres' page cache.
            chunk = await futures.pop(0)
            lo = chunk.first_doc * PAGES_PER_DOC
            exact[:, lo : lo + len(chunk.encoded)] = chunk.exact
            if chunk.raw is not None:
                kept.append(chunk.raw)
            async with db.transaction() as session:
                conn = await driver_connection(session)
                for d, doc in enumerate(
                    range(chunk.first_doc, chunk.first_doc + len(chunk.encoded) // PAGES_PER_DOC)
                ):
                    page_ids[
                        lo + d * PAGES_PER_DOC : lo + (d + 1) * PAGES_PER_DOC
                    ] = await write_document(
                        conn,
                        owner_id=owner.id,
                        collection_id=collection_id,
                        document_id=doc_ids[doc],
                        model=MODEL,
                        encoded=chunk.encoded[d * PAGES_PER_DOC : (d + 1) * PAGES_PER_DOC],
                    )
    sample = np.concatenate(kept)[:sample_pages]
    return Loaded(owner, page_ids, exact, sample, time.perf_counter() - started)


async def reload(db: Database, saved: Path, generator: str, seed: int, sample_pages: int) -> Loaded:
    """A corpus an earlier run loaded into the same --data-dir (its exhaustive sample is
    generated again: the generators are deterministic)."""
    with np.load(saved) as arrays:
        owner_id, page_ids, exact = int(arrays["owner"]), arrays["page_ids"], arrays["exact"]
    async with db.session() as session:
        owner = await session.get(User, owner_id)
    assert owner is not None, f"{saved} names owner {owner_id}, who is not in the database"
    document_pages = GENERATORS[generator][0]
    docs = -(-sample_pages // PAGES_PER_DOC)
    sample = np.concatenate([document_pages(seed, d) for d in range(docs)])[:sample_pages]
    return Loaded(owner, page_ids, exact, sample, load_s=float("nan"))


def rss_mb() -> float:
    """This process's resident memory in MB: the service under test runs in it."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def commit_to_hit(
    db: Database,
    owner: User,
    generator: str,
    seed: int,
    service: Callable[[F32], Awaitable[list[int]]],
    pool_factor: int,
) -> tuple[float, int]:
    """Write and commit one more document, then search for one of its pages at once: the ms
    from the commit to a search that has it in the top k, and how many searches that took
    (1: the next query sees it). The document is deleted again afterwards."""
    assert owner.id is not None
    document_pages, make_query = GENERATORS[generator]
    doc = 10**6  # past any corpus: a document the generator never made for it
    async with db.transaction() as session:
        conn = await driver_connection(session)
        collection_id = await conn.fetchval(
            "SELECT id FROM collections WHERE owner_id = $1", owner.id
        )
        [document_id] = await insert_documents(
            conn, owner_id=owner.id, collection_id=collection_id, count=1, first=doc
        )
        page_ids = await write_document(
            conn,
            owner_id=owner.id,
            collection_id=collection_id,
            document_id=document_id,
            model=MODEL,
            encoded=[encode(pool_tokens(page, pool_factor)) for page in document_pages(seed, doc)],
        )
    committed = time.perf_counter()
    query = make_query(seed, doc * PAGES_PER_DOC + 3)
    try:
        for searches in range(1, 11):
            if page_ids[3] in await service(query):
                return (time.perf_counter() - committed) * 1000, searches
        return float("nan"), 0
    finally:
        async with db.transaction() as session:
            await session.execute(text("DELETE FROM documents WHERE id = :d"), {"d": document_id})


async def seed_sql(
    url: str, sample: F16, queries: F32, k: int, runs: int
) -> tuple[list[float], float]:
    """The seed's way: latencies (ms) over `sample`, and its bytes per page."""
    conn = await asyncpg.connect(plain_dsn(url))
    try:
        await register_vector(conn)
        await conn.execute("DROP TABLE IF EXISTS seed_pages")
        await conn.execute(
            "CREATE TABLE seed_pages (id bigint PRIMARY KEY, embedding halfvec(128)[])"
        )
        await conn.execute(SEED_SQL)
        await conn.copy_records_to_table(
            "seed_pages",
            records=((i, [HalfVector(t) for t in page]) for i, page in enumerate(sample)),
        )
        await conn.execute("VACUUM ANALYZE seed_pages")
        size = float(await conn.fetchval("SELECT avg(pg_column_size(embedding)) FROM seed_pages"))
        times = []
        for query in queries[:runs]:
            started = time.perf_counter()
            await conn.fetch(
                "SELECT id, max_sim(embedding, $1) AS score FROM seed_pages"
                " ORDER BY score DESC LIMIT $2",
                [HalfVector(t) for t in query],
                k,
            )
            times.append((time.perf_counter() - started) * 1000)
        await conn.execute("DROP TABLE seed_pages")
        return times, size
    finally:
        await conn.close()


def numpy_times(sample: F16, queries: F32, k: int, runs: int) -> list[float]:
    times = []
    for query in queries[:runs]:
        started = time.perf_counter()
        scores = exact_maxsim(query[None], sample)[0]
        np.argpartition(-scores, min(k, len(scores) - 1))[:k]
        times.append((time.perf_counter() - started) * 1000)
    return times


async def concurrency(
    service: Callable[[F32], Awaitable[list[int]]], queries: F32, clients: int, seconds: float
) -> dict[str, float]:
    """`clients` searching back to back for `seconds`: searches/s, the event loop's lag
    meanwhile (a 10 ms sleep's overshoot, sampled all along: what a /healthz request would
    wait before it runs), and this process's peak RSS over its RSS at the start."""
    stop = time.perf_counter() + seconds
    done = 0
    lags: list[float] = []
    start_rss = peak_rss = rss_mb()

    async def client(first: int) -> None:
        nonlocal done
        i = first
        while time.perf_counter() < stop:
            await service(queries[i % len(queries)])
            done += 1
            i += clients

    async def probe() -> None:
        nonlocal peak_rss
        while time.perf_counter() < stop:
            peak_rss = max(peak_rss, rss_mb())
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            lags.append((time.perf_counter() - started - 0.01) * 1000)

    started = time.perf_counter()
    await asyncio.gather(probe(), *(client(c) for c in range(clients)))
    return {
        "clients": clients,
        "searches_per_s": round(done / (time.perf_counter() - started), 1),
        "loop_lag_p50_ms": round(percentile(lags, 50), 1),
        "loop_lag_p99_ms": round(percentile(lags, 99), 1),
        "rss_peak_growth_mb": round(peak_rss - start_rss, 1),
    }


def percentile(values: list[float], p: float) -> float:
    return float(np.percentile(values, p)) if values else float("nan")


async def run_size(
    args: argparse.Namespace, url: str, pages: int, generator: str
) -> dict[str, Any]:
    rng = np.random.default_rng([args.seed, pages])
    targets = rng.choice(pages, args.queries, replace=False)
    make_query = GENERATORS[generator][1]
    queries = np.stack([make_query(args.seed, int(t)) for t in targets])
    sample_pages = min(pages, args.exhaustive_pages)
    db = Database(url, pool_size=settings.db_pool_size)  # as the API's: concurrent clients
    tag = f"{generator}{pages}p{args.pool_factor}"
    saved = args.data_dir / f"{tag}-q{args.queries}s{args.seed}.npz" if args.data_dir else None
    if saved is not None and saved.exists():
        loaded = await reload(db, saved, generator, args.seed, sample_pages)
    else:
        loaded = await load(
            db,
            generator,
            args.seed,
            pages,
            queries,
            sample_pages,
            tag=tag,
            pool_factor=args.pool_factor,
        )
        if saved is not None:  # a later run with the same --data-dir measures without reloading
            assert loaded.owner.id is not None
            np.savez(saved, owner=loaded.owner.id, page_ids=loaded.page_ids, exact=loaded.exact)
    async with db.session() as session:
        assert loaded.owner.id is not None
        stored = await stored_bytes_per_page(session, loaded.owner.id)
        hnsw_bytes = int(
            await session.scalar(
                text(  # the graphs of every partition
                    "SELECT sum(pg_relation_size(inhrelid)) FROM pg_inherits"
                    " WHERE inhparent = 'ix_page_keys_page_vector_128'::regclass"
                )
            )
            or 0
        )
        total_rows = int(await session.scalar(text("SELECT count(*) FROM page_keys")) or 1)
    settings.search_candidates = args.candidates
    request = SearchRequest(top_k=args.k)

    async def service(query: F32) -> list[int]:
        outcome = await search_embedded(
            db=db, owner=loaded.owner, model=MODEL, request=request, query=query
        )
        return [page for page, _ in outcome.hits]

    rss_before = rss_mb()  # the corpus is in Postgres; the service holds none of it
    await service(queries[0])  # warms the pool's connections and Postgres' buffers
    rss_warm = rss_mb()  # first-use costs (threads, caches), the same for any corpus size
    db_to_global = {int(p): i for i, p in enumerate(loaded.page_ids)}

    async def measure() -> tuple[list[float], list[float], list[bool]]:
        times, recalls, hits = [], [], []
        for q, query in enumerate(queries):
            started = time.perf_counter()
            found = [db_to_global[p] for p in await service(query)]
            times.append((time.perf_counter() - started) * 1000)
            truth = np.argsort(-loaded.exact[q], kind="stable")[: args.k]
            recalls.append(len(set(found) & set(truth.tolist())) / args.k)
            hits.append(int(targets[q]) in found)
        return times, recalls, hits

    times, recalls, hits = await measure()  # first pass: each query's pages read for the first time
    warm, _, _ = await measure()  # the same queries again, their pages now in shared buffers

    async def sweep(setting: str, values: list[int]) -> list[dict[str, Any]]:
        """Latency and recall with `settings.<setting>` at each of `values`, then restored."""
        default = getattr(settings, setting)
        points = []
        for value in values:
            setattr(settings, setting, value)
            swept, swept_recalls, _ = await measure()
            pulled, reranked = stage_sizes(pages, args.k)
            points.append(
                {
                    "value": value,
                    "pulled": pulled,
                    "reranked": reranked,
                    "p50_ms": round(percentile(swept, 50), 2),
                    "p95_ms": round(percentile(swept, 95), 2),
                    "recall_at_k": round(float(np.mean(swept_recalls)), 4),
                }
            )
        setattr(settings, setting, default)
        return points

    # The latency/recall trade-offs of the first stage's candidate count and the rerank's size.
    curve = await sweep("search_candidates", args.sweep)
    rerank_curve = await sweep("search_rerank", args.rerank_sweep)
    concurrent = await concurrency(service, queries, args.clients, args.concurrency_s)
    rss_after = rss_mb()
    await asyncio.sleep(heap.IDLE_S + 0.5)  # an idle server hands its free heap back
    rss_idle = rss_mb()
    pulled, reranked = stage_sizes(pages, args.k)  # at the default settings
    to_hit_ms, searches_to_hit = await commit_to_hit(
        db, loaded.owner, generator, args.seed, service, args.pool_factor
    )
    exact_hits = [
        int(targets[q]) in np.argsort(-loaded.exact[q])[: args.k].tolist()
        for q in range(len(queries))
    ]
    await db.dispose()

    scale = pages / sample_pages
    seed_times, seed_bytes = await seed_sql(url, loaded.sample, queries, args.k, args.seed_runs)
    np_times = numpy_times(loaded.sample, queries, args.k, args.numpy_runs)
    seed_p50 = statistics.median(seed_times) * scale
    return {
        "generator": generator,
        "pages": pages,
        "candidates": args.candidates,
        "pulled": pulled,
        "queries": len(queries),
        "k": args.k,
        "rerank": reranked,
        "pool_factor": args.pool_factor,
        "service_p50_ms": round(percentile(times, 50), 2),
        "service_p95_ms": round(percentile(times, 95), 2),
        "warm_p50_ms": round(percentile(warm, 50), 2),
        "warm_p95_ms": round(percentile(warm, 95), 2),
        "seed_sql_p50_ms": round(seed_p50, 1),
        "seed_sql_p95_ms": round(percentile(seed_times, 95) * scale, 1),
        "seed_sql_runs": len(seed_times),
        "seed_sql_extrapolated": scale > 1,
        "numpy_p50_ms": round(statistics.median(np_times) * scale, 1),
        "numpy_p95_ms": round(percentile(np_times, 95) * scale, 1),
        "numpy_extrapolated": scale > 1,
        "exhaustive_sample_pages": sample_pages,
        "speedup_vs_seed": round(seed_p50 / percentile(times, 50), 1),
        "recall_at_k": round(float(np.mean(recalls)), 4),
        "hit_rate": round(float(np.mean(hits)), 4),
        "exact_hit_rate": round(float(np.mean(exact_hits)), 4),
        "bytes_per_page": round(stored),
        "seed_bytes_per_page": round(seed_bytes),
        "hnsw_bytes_per_page": round(hnsw_bytes / total_rows),
        "load_pages_per_s": round(pages / loaded.load_s, 1),
        "rss_before_search_mb": round(rss_before, 1),
        "rss_after_first_search_mb": round(rss_warm, 1),
        "rss_after_search_mb": round(rss_after, 1),
        "rss_idle_mb": round(rss_idle, 1),
        "commit_to_hit_ms": round(to_hit_ms, 1),
        "searches_to_hit": searches_to_hit,
        "concurrency": concurrent,
        "curve": curve,
        "rerank_curve": rerank_curve,
    }


def concurrent_line(figures: dict[str, float]) -> str:
    return (
        f"{figures['clients']} clients: {figures['searches_per_s']} searches/s, loop lag p50"
        f" {figures['loop_lag_p50_ms']} ms p99 {figures['loop_lag_p99_ms']} ms, RSS peak"
        f" +{figures['rss_peak_growth_mb']:.0f} MB"
    )


def sizes(raw: str) -> Iterator[int]:
    for part in raw.split(","):
        pages = int(part)
        if pages % PAGES_PER_DOC:
            raise SystemExit(f"--pages must be multiples of {PAGES_PER_DOC}")
        yield pages


async def run(args: argparse.Namespace, url: str) -> None:
    for pages in sizes(args.pages):
        for generator in args.generators.split(","):
            result = await run_size(args, url, pages, generator)
            if args.json:
                print(json.dumps(result), flush=True)
            else:
                print(
                    f"{generator:>4} {pages:>7} pages L={args.candidates} (pulls {result['pulled']})"
                    f" R={result['rerank']}"
                    f" pool={args.pool_factor}"
                    f" | service p50 {result['service_p50_ms']:.1f} ms"
                    f" p95 {result['service_p95_ms']:.1f} ms (warm p50"
                    f" {result['warm_p50_ms']:.1f} ms p95 {result['warm_p95_ms']:.1f} ms) | seed SQL p50"
                    f" {result['seed_sql_p50_ms']:.0f} ms | NumPy p50 {result['numpy_p50_ms']:.0f} ms"
                    f" | {result['speedup_vs_seed']:.0f}x | recall@{args.k}"
                    f" {result['recall_at_k']:.3f} hit {result['hit_rate']:.3f}"
                    f" (exact {result['exact_hit_rate']:.3f}) | {result['bytes_per_page']} B/page"
                    f" vs seed {result['seed_bytes_per_page']} B/page"
                    f" ({result['bytes_per_page'] / result['seed_bytes_per_page']:.1%}) | HNSW"
                    f" {result['hnsw_bytes_per_page']} B/page | write"
                    f" {result['load_pages_per_s']} pages/s (generation included)"
                    f" | RSS {result['rss_before_search_mb']:.0f} -> "
                    f"{result['rss_after_first_search_mb']:.0f} (first search) -> "
                    f"{result['rss_after_search_mb']:.0f} MB (all) -> "
                    f"{result['rss_idle_mb']:.0f} MB (idle)"
                    f" | commit -> hit {result['commit_to_hit_ms']:.1f} ms"
                    f" ({result['searches_to_hit']} search)"
                    f" | {concurrent_line(result['concurrency'])}",
                    flush=True,
                )
                for name, key in (("L", "curve"), ("R", "rerank_curve")):
                    for point in result[key]:
                        print(
                            f"{'':>12} {name}={point['value']:>5} (pulls {point['pulled']},"
                            f" reranks {point['reranked']}):"
                            f" p50 {point['p50_ms']:.1f} ms"
                            f" p95 {point['p95_ms']:.1f} ms recall@{args.k}"
                            f" {point['recall_at_k']:.3f}",
                            flush=True,
                        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", default="1000,10000")
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--generators", default="easy,hard")
    parser.add_argument("--candidates", type=int, default=settings.search_candidates)
    parser.add_argument(
        "--sweep",
        type=lambda raw: [int(x) for x in raw.split(",") if x],
        default=[],
        help="also time these candidate counts on the same data, e.g. 100,300,1000",
    )
    parser.add_argument(
        "--rerank-sweep",
        type=lambda raw: [int(x) for x in raw.split(",") if x],
        default=[],
        help="also time these exact-rerank sizes (PALIAPI_SEARCH_RERANK), e.g. 16,32,64,128",
    )
    parser.add_argument(
        "--pool-factor", type=int, default=1, help="pool pages' tokens (poolFactor; ~0.3 s/page)"
    )
    parser.add_argument("--clients", type=int, default=8, help="concurrent searchers")
    parser.add_argument("--concurrency-s", type=float, default=20, help="their run's length")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--exhaustive-pages", type=int, default=10_000)
    parser.add_argument("--seed-runs", type=int, default=3, help="queries timed on the seed SQL")
    parser.add_argument("--numpy-runs", type=int, default=5)
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="Postgres data directory (default: temp); kept, so a rerun measures the corpora "
        "loaded there without loading them again",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    # As the service runs (app/runtime.py): one BLAS thread; the rerank's threads are the
    # parallelism, and BLAS threads on top of them oversubscribe the cores.
    threadpool_limits(1, "blas")
    return_large_frees()
    with tempfile.TemporaryDirectory() as tmp:
        url = start_embedded_postgres(args.data_dir or Path(tmp) / "data", database="bench")
        migrate.upgrade(url)  # alembic runs its own event loop: before ours starts
        asyncio.run(run(args, url))


if __name__ == "__main__":
    main()
