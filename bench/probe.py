"""Poll /healthz every 10 ms for a while and print the latencies (JSON, seconds): how live a
server's event loop stays while something else loads it.

    python -m bench.probe URL SECONDS

Always a plain process of its own (`start`), so neither the load generator's stalls nor a
test runner's (its threads, its garbage collections, coverage's tracer, which follows
multiprocessing children) count against the server.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def probe_healthz(base: str, seconds: float, every: float = 0.010) -> list[float]:
    deadline = time.monotonic() + seconds
    latencies = []
    with httpx.Client(base_url=base, timeout=10) as client:
        client.get("/healthz")  # a warm connection: the figure is the server's, not TCP's
        while time.monotonic() < deadline:
            started = time.perf_counter()
            client.get("/healthz").raise_for_status()
            latencies.append(time.perf_counter() - started)
            time.sleep(every)
    return latencies


def start(base: str, seconds: float) -> subprocess.Popen[bytes]:
    """The probe, running; `collect` waits for its latencies."""
    command = [sys.executable, "-m", "bench.probe", base, str(seconds)]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE)


def collect(probe: subprocess.Popen[bytes]) -> list[float]:
    latencies: list[float] = json.loads(probe.communicate()[0])
    return latencies


if __name__ == "__main__":
    print(json.dumps(probe_healthz(sys.argv[1], float(sys.argv[2]))))
