"""Start a throwaway `paliapi serve` for the SDK and docs tests; print {"url", "token"}.

An embedded database in a temp dir, the tiny random model, a free port and one user;
private URLs are allowed, so webhooks can point at a receiver on loopback.
The server stops when this process's stdin closes (or on SIGTERM).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, server: subprocess.Popen[bytes], timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"paliapi serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if json.load(response).get("embeddings") == "ready":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("paliapi serve did not become ready")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="paliapi-live-") as tmp:
        model = Path(tmp) / "tiny-colqwen2"
        subprocess.run(
            [sys.executable, "-m", "gpu.tiny_model", str(model)], check=True, capture_output=True
        )
        port = free_port()
        env = {
            **os.environ,
            "PALIAPI_DATA_DIR": str(Path(tmp) / "data"),
            "EMBEDDINGS_MODEL": str(model),
            "EMBEDDINGS_DEVICE": "cpu",
            "PALIAPI_PUBLIC_URL": f"http://127.0.0.1:{port}",
            # The tests' webhook receivers listen on loopback.
            "PALIAPI_ALLOW_PRIVATE_URLS": "true",
        }
        env.pop("DATABASE_URL", None)
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [str(BIN / "paliapi"), "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        signal.signal(signal.SIGTERM, lambda *_: sys.stdin.close())
        try:
            wait_healthy(url, server)
            created = subprocess.run(
                [str(BIN / "paliapi"), "users", "create", "sdk-tests"],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            token = created.stdout.strip().splitlines()[-1]
            print(json.dumps({"url": url, "token": token}), flush=True)
            with contextlib.suppress(OSError, ValueError):
                sys.stdin.read()
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
