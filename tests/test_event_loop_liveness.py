"""The event loop stays live: /healthz answers quickly while heavy requests run.

`paliapi serve` runs as its own process, as users run it (the embedded default: the ingestion
worker inside it), over 1,500 seeded pages. `bench.load` drives it from another process with
three clients sending, back to back, fast searches, `exact` searches that read and score
every one of 750 pages, and base64 uploads that the in-process worker renders and embeds.
Meanwhile a probe process polls /healthz every 10 ms: p95 must stay under 50 ms and no poll
may wait a second (the figures, p99 included, are printed). Work left on the event loop
(scoring, decoding, re-validating every query) holds every poll behind it and fails this.

On two cores the p99 sits at 35-48 ms here, close enough to 50 that a gate on it would
fail by chance; more clients than cores saturate the server, and then /healthz waits its
turn like every request: `python -m bench.load --probe` measures that.

The load runs at a lower CPU priority (`nice`) so that on a small machine the figures measure
the server's own stalls, not the scheduler sharing two cores with the load generator.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.db import migrate
from app.db.embedded import start_embedded_postgres
from bench import probe
from bench.load import model_dim, own_server, seed

LOAD_S = 14.0
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def liveness_url(data_dir: Path) -> str:
    """A database of its own: the session's in-process workers must not take this load's
    ingest jobs (and its CPU) from the server under test."""
    url = start_embedded_postgres(data_dir, database="liveness_tests")
    migrate.upgrade(url)
    return url


async def test_healthz_stays_live_under_heavy_requests(
    liveness_url: str, tiny_model: Path, tmp_path: Path
) -> None:
    database_url = liveness_url
    users = await seed(
        database_url, users=2, pages=1500, model=str(tiny_model), dim=model_dim(tiny_model)
    )
    server_args = argparse.Namespace(database_url=database_url, model=tiny_model)
    async with own_server(server_args, tmp_path) as (base, _):
        report = tmp_path / "load.json"
        command = [
            *("nice", "-n", "10", sys.executable, "-m", "bench.load", "--url", base),
            *(arg for user in users for arg in ("--token", user.token)),
            *("--collection", users[0].collection, "--users", "3", "--duration", str(LOAD_S)),
            *("--mix", "search=4,exact=3,upload=3", "--rss-every", "60", "--json", str(report)),
        ]
        load = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        await asyncio.sleep(3)  # past the load's warm-up, into its steady state
        # bench.probe is a plain process of its own: this one's threads and garbage
        # collections (the session's other servers live here) and coverage's tracer must not
        # count against the server under test.
        latencies = await asyncio.to_thread(probe.collect, probe.start(base, LOAD_S - 4))
        output = load.communicate()[0].decode(errors="replace")
    assert load.returncode == 0, output[-3000:]
    operations = json.loads(report.read_text())["operations"]
    p50, p95, p99 = (float(np.percentile(latencies, q)) * 1000 for q in (50, 95, 99))
    print(
        f"\n/healthz p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, max"
        f" {max(latencies) * 1000:.1f} ms over "
        f"{len(latencies)} polls; meanwhile "
        + ", ".join(f"{op} {row['ok']} (p50 {row['p50_ms']} ms)" for op, row in operations.items())
    )
    assert all(operations[op]["ok"] > 0 for op in ("search", "exact", "upload")), operations
    assert p95 < 50 and max(latencies) < 1.0
