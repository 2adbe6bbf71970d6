"""The first stage's SQL under EXPLAIN ANALYZE, on a corpus `bench.search` loaded.

    python -m bench.explain --data-dir DIR [--generator hard] [--pages 100000]

Runs the service's own candidate statement (app/search/first_stage.py) with its scan settings,
for the whole corpus and for metadata-filtered scopes (documents chosen by their `doc` number:
90%, half and a tenth of the corpus, where the planner picks between the HNSW iterative
scan filtering as it walks and an exact scan of the scope, and 150 pages, fewer than the
candidates, which are read whole through the B-tree).
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlmodel import col

from app.db.embedded import start_embedded_postgres
from app.db.engine import Database
from app.db.models import User
from app.db.page_store import driver_connection
from app.search.first_stage import (
    candidate_args,
    candidates_sql,
    prepare_scan,
    scan_modes,
    stage_sizes,
    uses_index,
)
from app.search.scope import resolve_scope
from bench.search import MODEL
from bench.synthetic import GENERATORS, PAGES_PER_DOC


async def explain(db: Database, owner: User, pages: int, generator: str, seed: int) -> None:
    query = GENERATORS[generator][1](seed, pages // 2 + 3)
    documents = pages // PAGES_PER_DOC
    filters: list[tuple[str, Any]] = [
        ("no filter", None),
        (
            f"documentFilter doc >= {documents // 10} (90% of the pages)",
            {"doc": {"$gte": documents // 10}},
        ),
        (
            f"documentFilter doc < {documents // 2} (half the pages)",
            {"doc": {"$lt": documents // 2}},
        ),
        (
            f"documentFilter doc < {documents // 10} (10% of pages)",
            {"doc": {"$lt": documents // 10}},
        ),
        ("documentFilter doc < 15 (150 pages)", {"doc": {"$lt": 15}}),
    ]
    for title, document_filter in filters:
        async with db.transaction() as session:
            scope = await resolve_scope(
                session,
                owner=owner,
                model=MODEL,
                collection_name=None,
                collection_filter=None,
                document_filter=document_filter,
            )
            limit, _ = stage_sizes(scope.pages, 3)
            indexed = uses_index(128, scope.pages, limit)
            conn = await driver_connection(session)
            if indexed:
                await prepare_scan(conn, limit, drain=scan_modes(limit)[0])
            assert owner.id is not None
            args = candidate_args(
                owner_id=owner.id, model=MODEL, scope=scope, query=query, limit=limit
            )
            sql = candidates_sql(128, indexed=indexed)
            plan = await conn.fetch("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, *args)
            print(f"\n== {title}: scope {scope.pages} pages, LIMIT {limit} ==")
            for (line,) in plan:
                print(line if len(line) < 160 else line[:150] + " ...")  # the query vector


async def run(args: argparse.Namespace, url: str) -> None:
    db = Database(url, pool_size=1)
    async with db.session() as session:
        owner = await session.scalar(
            select(User).where(col(User.name) == f"bench-{args.generator}{args.pages}p1")
        )
        total = await session.scalar(text("SELECT count(*) FROM page_keys"))
    assert owner is not None, "no such corpus: run bench.search with this --data-dir first"
    print(f"{total} pages in page_keys; owner {owner.name}")
    await explain(db, owner, args.pages, args.generator, args.seed)
    await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--generator", default="hard")
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    url = start_embedded_postgres(args.data_dir, database="bench")
    asyncio.run(run(args, url))


if __name__ == "__main__":
    main()
