"""The processes `docker compose --profile local-gpu up` starts, started here without Docker:
a PostgreSQL of their own reached through DATABASE_URL, a one-shot `paliapi migrate`, the
embedding service, `paliapi serve` and `paliapi worker` as separate processes. An upload made
through the API is ingested by the worker (READY) and found by search."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.db.embedded import start_embedded_postgres
from tests import files
from tests.conftest import Api, _free_port
from tests.resolvers.test_uploads import UPLOAD

TOKEN = "compose-embeddings-token"


class Processes:
    def __init__(self, logs: Path, env: dict[str, str]) -> None:
        self.logs, self.env = logs, env
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def run(self, *args: str) -> str:
        """A one-shot command (like compose's `migrate` service); its stdout."""
        done = subprocess.run(
            [sys.executable, "-m", *args], env=self.env, capture_output=True, check=False
        )
        assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
        return done.stdout.decode()

    def start(self, name: str, *args: str) -> None:
        with (self.logs / f"{name}.log").open("ab") as out:
            self.running[name] = subprocess.Popen(
                [sys.executable, "-m", *args], env=self.env, stdout=out, stderr=subprocess.STDOUT
            )

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def table(self) -> str:
        pids = ",".join(str(p.pid) for p in self.running.values())
        return subprocess.run(
            ["ps", "-o", "pid,rss,args", "-p", pids], capture_output=True, text=True, check=False
        ).stdout

    def stop(self) -> None:
        for process in self.running.values():
            process.terminate()
        for name, process in self.running.items():
            try:
                # uvicorn re-raises SIGTERM once it has shut down cleanly.
                code = process.wait(timeout=30)
                assert code in (0, -signal.SIGTERM), f"{name} exited {code}:\n{self.log(name)}"
            finally:
                if process.poll() is None:
                    process.kill()


@pytest.fixture
def compose(tmp_path: Path, tiny_model: Path) -> Iterator[tuple[Processes, str, int]]:
    # A second PostgreSQL server, not the test session's: the compose `db` service.
    database_url = start_embedded_postgres(tmp_path / "db", database="paliapi")
    embeddings_port, api_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PALIAPI_DATA_DIR": str(tmp_path / "unused"),  # DATABASE_URL wins: nothing embedded
        "EMBEDDINGS_BACKEND": "http",
        "EMBEDDINGS_URL": f"http://127.0.0.1:{embeddings_port}",
        "EMBEDDINGS_URL_TOKEN": TOKEN,
        "EMBEDDINGS_MODEL": str(tiny_model),
        "PALIAPI_RENDER_MAX_PIXELS": "200000",
        "PALIAPI_LOG_FORMAT": "json",
    }
    env.pop("PALIAPI_INPROCESS_WORKER", None)
    processes = Processes(tmp_path, env)
    processes.run("app.cli", "migrate")
    processes.start("embeddings", "gpu.server", "--port", str(embeddings_port), "--device", "cpu")
    processes.start("api", "app.cli", "serve", "--port", str(api_port))
    processes.start("worker", "app.cli", "worker")
    try:
        yield processes, f"http://127.0.0.1:{api_port}", embeddings_port
    finally:
        processes.stop()


def test_compose_topology_ingests_and_searches(compose: tuple[Processes, str, int]) -> None:
    processes, base, _ = compose
    token = processes.run("app.cli", "users", "create", "alice").strip().splitlines()[-1]
    with httpx.Client(base_url=base, timeout=60) as client:
        deadline = time.monotonic() + 120
        while True:
            try:
                health = client.get("/healthz").json()
                if health["embeddings"] == "ready":
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, processes.log("api") + processes.log("embeddings")
            time.sleep(0.25)
        # The API runs no worker of its own here: ingestion is the worker process's job.
        assert health["worker"].startswith("external") and health["status"] == "ok"
        assert health["model"] == processes.env["EMBEDDINGS_MODEL"]

        api = Api(client, token)
        api.data('mutation { createCollection(input: {name: "docs"}) { name } }')
        body = api.upload(
            UPLOAD,
            {"name": "q3.pdf", "file": None, "wait": True},
            {"file": ("q3.pdf", files.pdf(3))},
        )
        document = body["data"]["uploadDocument"]
        assert document["status"] == "READY", (body, processes.log("worker"))
        assert document["pageCount"] == 3
        found = api.data(
            'query { search(input: {query: "revenue quarter", collectionName: "docs"}) '
            "{ results { rank score page { number } document { name } } } }"
        )["search"]["results"]
        assert len(found) == 3 and {r["document"]["name"] for r in found} == {"q3.pdf"}
        print("\nprocesses:\n" + processes.table())
        print("upload:", json.dumps({k: document[k] for k in ("status", "pageCount")}))
        print("search:", json.dumps(found))
