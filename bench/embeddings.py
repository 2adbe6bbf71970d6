"""Embedding backends with the tiny model on this machine's CPU.

Prints, for the local, http (a real `python -m gpu.server` process) and modal (the Modal
class run in-process with `.local()`) backends: pages/s and queries/s, the max abs
difference of their vectors against local, the wire format's bytes per page versus JSON,
and the query-cache hit rate of a repeated-query workload.

    python bench/embeddings.py [--pages 64] [--tokens 768]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import numpy as np
from PIL import Image, ImageDraw

from app.embeddings.cache import CachedEmbedder
from app.embeddings.http import HttpEmbedder
from app.embeddings.local import LocalEmbedder
from gpu import wire
from gpu.engine import EngineOptions
from gpu.tiny_model import build_tiny_colqwen2

QUERIES = [f"what is the revenue of team {i} in {2000 + i % 25}" for i in range(40)]


def page_png(seed: int) -> bytes:
    rng = random.Random(seed)
    image = Image.new("RGB", (850, 1100), "white")
    draw = ImageDraw.Draw(image)
    for line in range(40):
        draw.text(
            (60, 40 + line * 25),
            " ".join(rng.choice(["revenue", "budget", "team", "2024", "total"]) for _ in range(10)),
            fill="black",
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def max_diff(a: list[wire.MultiVector], b: list[wire.MultiVector]) -> float:
    return max(
        float(np.abs(x.astype(np.float32) - y.astype(np.float32)).max())
        for x, y in zip(a, b, strict=True)
    )


Vectors = list[wire.MultiVector]


async def timed(
    label: str,
    pages: list[bytes],
    embed_images: Callable[[list[bytes]], Awaitable[Vectors]],
    embed_queries: Callable[[list[str]], Awaitable[Vectors]],
) -> tuple[Vectors, Vectors]:
    await embed_images(pages[:2])  # warm-up (model load, first-call costs)
    started = time.perf_counter()
    page_vectors = await embed_images(pages)
    page_s = time.perf_counter() - started
    started = time.perf_counter()
    query_vectors = await embed_queries(QUERIES)
    query_s = time.perf_counter() - started
    print(
        f"{label:6s} {len(pages) / page_s:8.1f} pages/s   {len(QUERIES) / query_s:8.1f} queries/s"
    )
    return page_vectors, query_vectors


async def run(args: argparse.Namespace) -> None:
    model = build_tiny_colqwen2(Path(tempfile.mkdtemp()) / "tiny", max_visual_tokens=args.tokens)
    pages = [page_png(i) for i in range(args.pages)]
    options = EngineOptions(device="cpu")
    print(
        f"tiny ColQwen2 (random weights), {args.tokens} visual tokens per page, {args.pages} pages, CPU x{os.cpu_count()}"
    )

    local = LocalEmbedder(str(model), options)
    local_pages, local_queries = await timed(
        "local", pages, local.embed_images, local.embed_queries
    )

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gpu.server",
            "--model",
            str(model),
            "--port",
            str(port),
            "--device",
            "cpu",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        http = HttpEmbedder(f"http://127.0.0.1:{port}", model_name=str(model))
        http_pages, http_queries = await timed("http", pages, http.embed_images, http.embed_queries)
        await http.aclose()
    finally:
        server.terminate()
        server.wait()

    os.environ["EMBEDDINGS_MODEL"] = str(model)
    from gpu.modal_app import Embedder

    remote = Embedder()

    async def modal_images(images: list[bytes]) -> list[wire.MultiVector]:
        return wire.decode(remote.embed_images.local(images))

    async def modal_queries(queries: list[str]) -> list[wire.MultiVector]:
        return wire.decode(remote.embed_queries.local(queries))

    modal_pages, modal_queries_out = await timed("modal", pages, modal_images, modal_queries)

    print(
        f"max |local - http|  pages {max_diff(local_pages, http_pages):.3g}  queries {max_diff(local_queries, http_queries):.3g}"
    )
    print(
        f"max |local - modal| pages {max_diff(local_pages, modal_pages):.3g}  queries {max_diff(local_queries, modal_queries_out):.3g}"
    )

    full_page = np.random.default_rng(0).standard_normal((1030, 128)).astype(np.float16)
    binary = len(wire.encode([full_page]))
    as_json = len(json.dumps(full_page.astype(float).tolist()))
    print(
        f"wire bytes per 1030x128 page: safetensors {binary:,}  JSON {as_json:,}  ({as_json / binary:.1f}x)"
    )

    cached = CachedEmbedder(local, size=1024)
    rng = random.Random(1)
    workload = [rng.choice(QUERIES[:10]) for _ in range(200)]  # 10 distinct queries, 200 searches
    for start in range(0, len(workload), 4):
        await cached.embed_queries(workload[start : start + 4])
    print(
        f"query cache: {cached.hits} hits, {cached.misses} misses, hit rate {cached.hit_rate:.1%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=64)
    parser.add_argument(
        "--tokens", type=int, default=768, help="visual tokens per page (max_pixels)"
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
