"""Start-up time of `paliapi serve` on the embedded default: cold (first run) and warm.

Cold: an empty data directory (initdb, CREATE DATABASE, migrations). Warm: the same
directory again (server start, migrations already at head). Timed from process start
until `/healthz` answers 200.

    python bench/startup.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def time_start(data_dir: Path) -> float:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PALIAPI_DATA_DIR"] = str(data_dir)
    port = _free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError("serve exited early")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                time.sleep(0.01)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cold, warm = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            data_dir = Path(tmp) / "data"
            cold.append(time_start(data_dir))
            warm.append(time_start(data_dir))
    print(f"cold start (empty data dir): median {statistics.median(cold):.2f} s  runs {cold}")
    print(f"warm start (existing data):  median {statistics.median(warm):.2f} s  runs {warm}")


if __name__ == "__main__":
    main()
