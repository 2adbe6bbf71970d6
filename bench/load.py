"""Load test: N concurrent users searching, uploading and listing for a fixed time, on loopback.

    python -m bench.load [--duration 300] [--users 16] [--pages 10000] [--json]
    python -m bench.load --url http://127.0.0.1:8000 --token T1 --token T2 [--pid PID]

By default it starts its own `paliapi serve` (embedded Postgres in a temp dir, the tiny
random ColQwen2 from gpu/tiny_model.py, the in-process ingestion worker), creates one API user
per simulated user and bulk-writes `--pages` synthetic pages spread over them (no model run:
the service's own bulk path, as bench/search.py does). With `--url`, it drives an existing
server as the users whose tokens are given (each gets a fresh collection to upload into).

Each user loops without think time: a search (VISUAL, top 5, over its own pages), an `exact`
search (every page in scope), a listing (a page of its documents, sometimes the next one) or an
upload (a small real PDF made with PyMuPDF, base64, `wait: false`), drawn by `--mix`. `RATE_LIMITED` answers are counted and
honoured (the user sleeps `retryAfter`, capped at 2 s), as a well-behaved client would.

Reported: throughput, latency p50/p95/p99 per operation (with `--probe`, /healthz polled every
10 ms from a separate process: how live the server's event loop stays under the load), errors by `extensions.code`, the
server's RSS over time (its render pool's children separately), and a few lines of /metrics
scraped mid-run and at the end. Exit status 1 if any answer was an internal error or not JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from rich.console import Console
from rich.table import Table

from bench.probe import collect as collect_probe
from bench.probe import start as start_probe

PAGES_PER_DOC = 10
TOKENS = 64  # per synthetic page: the tiny model's image budget
QUERY_WORDS = [
    "revenue",
    "growth",
    "annual",
    "report",
    "budget",
    "hiring",
    "plan",
    "invoice",
    "total",
    "amount",
    "due",
    "customer",
    "address",
    "product",
    "price",
    "quantity",
    "table",
    "figure",
    "chart",
    "quarterly",
    "team",
    "owner",
]
SEARCH = """query LoadSearch($q: String!, $c: String, $exact: Boolean = false) {
  search(input: {query: $q, topK: 5, collectionName: $c, exact: $exact}) {
    tookMs results { rank score page { number } document { name } }
  }
}"""
LIST = """query LoadList($c: String, $after: String) {
  documents(collectionName: $c, first: 20, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { name status pageCount } }
  }
}"""
UPLOAD = """mutation LoadUpload($c: String!, $n: String!, $b: String!) {
  uploadDocument(input: {collectionName: $c, name: $n, base64: $b}) { name status }
}"""
CREATE_COLLECTION = """mutation LoadCollection($n: String!) {
  createCollection(input: {name: $n}) { name }
}"""
METRIC_PREFIXES = (
    "paliapi_graphql_requests_total",
    "paliapi_queue_depth",
    "paliapi_queue_oldest_job_seconds",
    "paliapi_ingest_pages_total",
    "paliapi_ingest_documents_total",
    "paliapi_embedder_seconds_count",
    "paliapi_embedder_errors_total",
    "paliapi_cache_entries",
    "paliapi_search_stage_seconds_count",
    "process_resident_memory_bytes",
)
console = Console()


@dataclass
class LoadUser:
    token: str
    collection: str


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[tuple[str, str]] = field(default_factory=Counter)  # (operation, code)
    rss: list[tuple[float, float, float]] = field(default_factory=list)  # (s, server, children)
    scrapes: list[tuple[float, list[str]]] = field(default_factory=list)


def make_pdfs(count: int) -> list[bytes]:
    """Small real PDFs (1 to 3 pages of text and a rectangle), all different."""
    import pymupdf

    pdfs = []
    for i in range(count):
        document = pymupdf.open()
        for number in range(1 + i % 3):
            page = document.new_page(width=595, height=842)
            page.insert_text((72, 96), f"Load test document {i}, page {number + 1}", fontsize=18)
            words = " ".join(random.Random(i * 7 + number).choices(QUERY_WORDS, k=60))
            page.insert_textbox(pymupdf.Rect(72, 130, 520, 700), words, fontsize=11)
            page.draw_rect(pymupdf.Rect(72, 720, 72 + 40 * (number + 1), 780), fill=(0.2, 0.4, 0.8))
        pdfs.append(document.tobytes())
        document.close()
    return pdfs


# --- a server of our own ------------------------------------------------------------------


def model_dim(model: Path) -> int:
    """The multi-vector dimension of a ColQwen2 checkpoint: its projection's output size."""
    from safetensors import safe_open

    with safe_open(str(model / "model.safetensors"), "np") as weights:
        return int(weights.get_slice("custom_text_proj.bias").get_shape()[0])


async def seed(url: str, *, users: int, pages: int, model: str, dim: int) -> list[LoadUser]:
    """Create the users, a collection each and `pages` READY pages spread over them."""
    from app.db.engine import Database
    from app.db.page_store import driver_connection
    from app.db.vectors import encode
    from app.services.users import create_user
    from bench.synthetic import insert_documents, write_document

    rng = np.random.default_rng(0)
    db = Database(url, pool_size=2)
    created: list[LoadUser] = []
    docs_per_user = -(-pages // (users * PAGES_PER_DOC))
    try:
        for u in range(users):
            async with db.transaction() as session:
                owner, token = await create_user(session=session, name=f"load-user-{u}")
                assert owner.id is not None
                conn = await driver_connection(session)
                collection_id = await conn.fetchval(
                    "INSERT INTO collections (owner_id, name, model, metadata)"
                    " VALUES ($1, 'load', $2, '{}') RETURNING id",
                    owner.id,
                    model,
                )
                doc_ids = await insert_documents(
                    conn, owner_id=owner.id, collection_id=collection_id, count=docs_per_user
                )
                for doc in doc_ids:
                    # Random unit tokens: the search does the same work whatever they encode.
                    raw = rng.standard_normal((PAGES_PER_DOC, TOKENS, dim), dtype=np.float32)
                    raw /= np.linalg.norm(raw, axis=-1, keepdims=True)
                    await write_document(
                        conn,
                        owner_id=owner.id,
                        collection_id=collection_id,
                        document_id=doc,
                        model=model,
                        encoded=[encode(p.astype(np.float16)) for p in raw],
                    )
            created.append(LoadUser(token, "load"))
    finally:
        await db.dispose()
    return created


@asynccontextmanager
async def own_server(args: argparse.Namespace, work: Path) -> AsyncIterator[tuple[str, int]]:
    """`paliapi serve` on a free loopback port, as a child process; yields (base URL, pid)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "PALIAPI_INPROCESS_WORKER": "true",
        "EMBEDDINGS_MODEL": str(args.model),
        "EMBEDDINGS_DEVICE": "cpu",
        "PALIAPI_LOG_FORMAT": "json",
    }
    log_path = work / "server.log"
    with log_path.open("wb") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            async with httpx.AsyncClient(base_url=base, timeout=5) as client:
                deadline = time.monotonic() + 180
                while True:
                    if server.poll() is not None:
                        raise SystemExit(f"the server exited; see {log_path}")
                    try:
                        if (await client.get("/healthz")).status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    if time.monotonic() > deadline:
                        raise SystemExit(f"the server did not start; see {log_path}")
                    await asyncio.sleep(0.5)
            yield base, server.pid
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    lines = log_path.read_text(errors="replace").splitlines()
    console.print(f"server log: {len(lines)} lines in {log_path}")


# --- the load -------------------------------------------------------------------------------


def codes_of(response: httpx.Response) -> tuple[list[str], float]:
    """The error codes of a GraphQL answer ("NOT_JSON" when it is not JSON) and a retryAfter."""
    try:
        body = response.json()
    except ValueError:
        return ["NOT_JSON"], 0.0
    errors = (body.get("errors") or []) if isinstance(body, dict) else [{}]
    codes, retry = [], 0.0
    for error in errors:
        extensions = error.get("extensions") or {}
        codes.append(str(extensions.get("code", "NO_CODE")))
        retry = max(retry, float(extensions.get("retryAfter") or 0))
    if not codes and response.status_code != 200:
        codes.append(f"HTTP_{response.status_code}")
    return codes, retry


async def user_loop(
    client: httpx.AsyncClient,
    user: LoadUser,
    index: int,
    deadline: float,
    mix: dict[str, int],
    pdfs: list[bytes],
    results: Results,
) -> None:
    rng = random.Random(index)
    headers = {"Authorization": f"Bearer {user.token}"}
    operations, weights = list(mix), list(mix.values())
    cursor: str | None = None
    uploads = 0
    while time.monotonic() < deadline:
        operation = rng.choices(operations, weights)[0]
        if operation in ("search", "exact"):
            # A small vocabulary: some queries repeat (the query cache), most are new.
            words = " ".join(rng.choices(QUERY_WORDS, k=rng.randint(2, 4)))
            variables = {"q": words, "c": user.collection, "exact": operation == "exact"}
            payload = {"query": SEARCH, "variables": variables}
        elif operation == "list":
            after = cursor if cursor and rng.random() < 0.5 else None
            payload = {"query": LIST, "variables": {"c": user.collection, "after": after}}
        else:
            uploads += 1
            pdf = pdfs[rng.randrange(len(pdfs))]
            name = f"upload-{index}-{uploads}-{rng.getrandbits(32):08x}.pdf"
            payload = {
                "query": UPLOAD,
                "variables": {
                    "c": user.collection,
                    "n": name,
                    "b": base64.b64encode(pdf).decode(),
                },
            }
        started = time.perf_counter()
        try:
            response = await client.post("/graphql", json=payload, headers=headers)
        except httpx.HTTPError as error:
            results.errors[(operation, type(error).__name__)] += 1
            await asyncio.sleep(0.1)  # a dead server must not turn this into a busy loop
            continue
        elapsed = time.perf_counter() - started
        codes, retry_after = codes_of(response)
        if codes:
            for code in set(codes):
                results.errors[(operation, code)] += 1
            if retry_after:
                await asyncio.sleep(min(retry_after, 2.0))
            continue
        results.latencies[operation].append(elapsed)
        if operation == "list":
            info = response.json()["data"]["documents"]["pageInfo"]
            cursor = info["endCursor"] if info["hasNextPage"] else None


async def warm_up(client: httpx.AsyncClient, user: LoadUser) -> None:
    headers = {"Authorization": f"Bearer {user.token}"}
    for payload in (
        {"query": SEARCH, "variables": {"q": "warm up", "c": user.collection}},
        {"query": LIST, "variables": {"c": user.collection}},
    ):
        codes, _ = codes_of(await client.post("/graphql", json=payload, headers=headers))
        if codes:
            raise SystemExit(f"warm-up failed: {codes}")


def rss_mb(pid: int) -> tuple[float, float]:
    """VmRSS of `pid` and the sum over its direct children, in MB (0 if gone)."""

    def one(p: int) -> float:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    children: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            children += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        pass
    return one(pid), sum(one(c) for c in children)


async def sample_rss(pid: int, every: float, stop: asyncio.Event, results: Results) -> None:
    started = time.monotonic()
    while True:
        server, children = rss_mb(pid)
        results.rss.append((time.monotonic() - started, server, children))
        try:
            await asyncio.wait_for(stop.wait(), every)
            break
        except TimeoutError:
            pass
    server, children = rss_mb(pid)
    results.rss.append((time.monotonic() - started, server, children))


async def scrape(client: httpx.AsyncClient, token: str | None, at: float, results: Results) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        response = await client.get("/metrics", headers=headers)
    except httpx.HTTPError as error:
        results.scrapes.append((at, [f"scrape failed: {error!r}"]))
        return
    lines = [
        line
        for line in response.text.splitlines()
        if line.startswith(METRIC_PREFIXES) and not line.endswith(" 0.0")
    ]
    results.scrapes.append((at, lines))


async def drive(
    args: argparse.Namespace, base: str, pid: int | None, users: list[LoadUser]
) -> tuple[Results, float]:
    results = Results()
    pdfs = make_pdfs(12)
    mix = {k: int(v) for k, v in (part.split("=") for part in args.mix.split(","))}
    limits = httpx.Limits(max_connections=args.users + 4, max_keepalive_connections=args.users + 4)
    async with httpx.AsyncClient(base_url=base, timeout=args.timeout, limits=limits) as client:
        # Cold starts (the model's first call, each owner's index load) are not the steady
        # state: one search and one listing per user first, outside the figures.
        warm = time.perf_counter()
        await asyncio.gather(*(warm_up(client, user) for user in users))
        console.print(f"warm-up: {time.perf_counter() - warm:.1f} s")
        stop = asyncio.Event()
        sampler = (
            asyncio.create_task(sample_rss(pid, args.rss_every, stop, results)) if pid else None
        )
        started = time.monotonic()
        deadline = started + args.duration
        probe = start_probe(base, args.duration) if args.probe else None
        loops = [
            user_loop(client, users[i % len(users)], i, deadline, mix, pdfs, results)
            for i in range(args.users)
        ]

        async def mid_scrape() -> None:
            await asyncio.sleep(args.duration / 2)
            await scrape(client, args.metrics_token, args.duration / 2, results)

        await asyncio.gather(*loops, mid_scrape())
        elapsed = time.monotonic() - started
        if probe is not None:
            results.latencies["healthz"] = await asyncio.to_thread(collect_probe, probe)
        await scrape(client, args.metrics_token, elapsed, results)
        stop.set()
        if sampler is not None:
            await sampler
    return results, elapsed


async def prepare_remote(args: argparse.Namespace) -> list[LoadUser]:
    """Each given token gets a fresh collection to upload into (its search scope too), unless
    `--collection` names an existing one."""
    if args.collection:
        return [LoadUser(token, args.collection) for token in args.token]
    users = []
    async with httpx.AsyncClient(base_url=args.url, timeout=args.timeout) as client:
        for token in args.token:
            name = f"load-{random.getrandbits(40):010x}"
            response = await client.post(
                "/graphql",
                json={"query": CREATE_COLLECTION, "variables": {"n": name}},
                headers={"Authorization": f"Bearer {token}"},
            )
            body = response.json()
            if body.get("errors"):
                raise SystemExit(f"could not create a collection: {body['errors']}")
            users.append(LoadUser(token, name))
    return users


# --- the report -----------------------------------------------------------------------------


def percentile_ms(values: list[float], p: float) -> float:
    return float(np.percentile(values, p)) * 1000 if values else float("nan")


def summary(results: Results, elapsed: float) -> dict[str, Any]:
    operations = sorted(set(results.latencies) | {op for op, _ in results.errors})
    per_op = {}
    for op in operations:
        ok = results.latencies.get(op, [])
        failed = sum(n for (o, _), n in results.errors.items() if o == op)
        per_op[op] = {
            "ok": len(ok),
            "errors": failed,
            "per_s": round((len(ok) + failed) / elapsed, 2),
            "p50_ms": round(percentile_ms(ok, 50), 1),
            "p95_ms": round(percentile_ms(ok, 95), 1),
            "p99_ms": round(percentile_ms(ok, 99), 1),
            "max_ms": round(max(ok, default=0.0) * 1000, 1),
        }
    codes: Counter[str] = Counter()
    for (_, code), n in results.errors.items():
        codes[code] += n
    total = sum(len(v) for v in results.latencies.values()) + sum(codes.values())
    rss = [server for _, server, _ in results.rss]
    return {
        "duration_s": round(elapsed, 1),
        "requests": total,
        "requests_per_s": round(total / elapsed, 2),
        "operations": per_op,
        "errors_by_code": dict(codes),
        "internal_errors": codes.get("INTERNAL_SERVER_ERROR", 0) + codes.get("NOT_JSON", 0),
        "rss_mb": [
            {"t_s": round(t, 1), "server": round(s, 1), "children": round(c, 1)}
            for t, s, c in results.rss
        ],
        "rss_start_mb": round(rss[0], 1) if rss else None,
        "rss_end_mb": round(rss[-1], 1) if rss else None,
        "rss_max_mb": round(max(rss), 1) if rss else None,
    }


def print_report(report: dict[str, Any], results: Results, args: argparse.Namespace) -> None:
    title = (
        f"{args.users} users, {report['duration_s']} s: {report['requests']} requests,"
        f" {report['requests_per_s']} req/s"
    )
    table = Table("operation", "ok", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms")
    table.title = title
    for op, row in report["operations"].items():
        table.add_row(
            op,
            str(row["ok"]),
            str(row["errors"]),
            f"{row['per_s']:.2f}",
            *(f"{row[k]:.1f}" for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms")),
        )
    console.print(table)
    errors = Table("operation", "code", "count", title="errors by extensions.code")
    for (op, code), n in sorted(results.errors.items()):
        errors.add_row(op, code, str(n))
    if not results.errors:
        errors.add_row("-", "none", "0")
    console.print(errors)
    if report["rss_mb"]:
        rss = Table("t (s)", "server RSS MB", "render workers MB", title="server memory")
        for row in report["rss_mb"]:
            rss.add_row(f"{row['t_s']:.0f}", f"{row['server']:.1f}", f"{row['children']:.1f}")
        console.print(rss)
    for at, lines in results.scrapes:
        console.print(f"[bold]/metrics at {at:.0f} s[/bold] ({len(lines)} non-zero lines shown)")
        for line in lines[:25]:
            console.print(f"  {line}", highlight=False, soft_wrap=True)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.url:
        users = await prepare_remote(args)
        results, elapsed = await drive(args, args.url.rstrip("/"), args.pid, users)
    else:
        with tempfile.TemporaryDirectory(prefix="paliapi-load-") as tmp:
            work = Path(tmp)
            started = time.perf_counter()
            users = await seed(
                args.database_url,
                users=args.users,
                pages=args.pages,
                model=str(args.model),
                dim=model_dim(args.model),
            )
            console.print(
                f"seeded {args.users} users x {-(-args.pages // args.users)} pages"
                f" in {time.perf_counter() - started:.1f} s"
            )
            async with own_server(args, work) as (base, pid):
                results, elapsed = await drive(args, base, pid, users)
    report = summary(results, elapsed)
    print_report(report, results, args)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=300.0, help="seconds of load")
    parser.add_argument("--users", type=int, default=16, help="concurrent users")
    parser.add_argument("--pages", type=int, default=10_000, help="pages seeded (own server)")
    parser.add_argument("--mix", default="search=55,list=30,upload=15")
    parser.add_argument("--timeout", type=float, default=60.0, help="per request, seconds")
    parser.add_argument("--rss-every", type=float, default=10.0, help="RSS sampling, seconds")
    parser.add_argument("--url", help="drive this server instead of starting one")
    parser.add_argument("--token", action="append", default=[], help="with --url; repeatable")
    parser.add_argument("--collection", help="with --url: every user's existing collection")
    parser.add_argument("--pid", type=int, help="with --url: the server's pid, for its RSS")
    parser.add_argument("--metrics-token", default=os.environ.get("PALIAPI_METRICS_TOKEN"))
    parser.add_argument("--data-dir", type=Path, help="own server: Postgres data (default: temp)")
    parser.add_argument(
        "--probe", action="store_true", help="poll /healthz every 10 ms from another process"
    )
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")
    args = parser.parse_args()
    if args.url and not args.token:
        parser.error("--url needs at least one --token")
    with tempfile.TemporaryDirectory(prefix="paliapi-load-db-") as tmp:
        if not args.url:
            from app.db import migrate
            from app.db.embedded import start_embedded_postgres
            from gpu.tiny_model import build_tiny_colqwen2

            args.model = build_tiny_colqwen2(Path(tmp) / "tiny-colqwen2")
            args.database_url = start_embedded_postgres(
                args.data_dir or Path(tmp) / "data", database="paliapi_load"
            )
            migrate.upgrade(args.database_url)  # alembic runs its own loop: before ours starts
        report = asyncio.run(run(args))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    if report["internal_errors"]:
        console.print(f"[red]{report['internal_errors']} internal errors[/red]")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
