"""The embedding service on Modal: serverless GPUs that scale to zero.

    modal deploy gpu/modal_app.py        # see gpu/README.md for the whole walk-through
    modal run gpu/modal_app.py           # a smoke test against the deployed image

Thin by design: the image, the app, one class that loads the engine once per container
(`@modal.enter`) and calls `gpu/engine.py`. Settings are read here at deploy time and
baked into the image environment, so the container sees the same values.
"""

from __future__ import annotations

import os
from typing import Any

import modal

from gpu import wire
from gpu.engine import default_model

APP_NAME = os.environ.get("MODAL_APP_NAME", "paliapi-embeddings")
MODEL = os.environ.get("EMBEDDINGS_MODEL") or default_model("cuda")  # Modal always has a GPU
GPU = os.environ.get("MODAL_GPU", "H100")
SCALEDOWN_WINDOW_S = int(os.environ.get("MODAL_SCALEDOWN_WINDOW_S", "120"))
MAX_CONTAINERS = int(os.environ.get("MODAL_MAX_CONTAINERS", "4"))
MAX_INPUTS = int(os.environ.get("MODAL_MAX_INPUTS", "4"))  # concurrent requests per container
TOKEN_BUDGET = int(os.environ.get("EMBEDDINGS_TOKEN_BUDGET", "65536"))
POOL_FACTOR = int(os.environ.get("EMBEDDINGS_POOL_FACTOR", "1"))
# A Modal secret holding EMBEDDINGS_URL_TOKEN guards the web endpoint with a bearer token;
# without one, the endpoint requires Modal proxy auth (Modal-Key / Modal-Secret headers).
TOKEN_SECRET = os.environ.get("MODAL_TOKEN_SECRET_NAME")
WEIGHTS_DIR = "/weights"


def download_weights() -> None:
    """Runs at image build: the weights (and an adapter's base model) become part of the image.

    Self-contained on purpose (it mirrors `gpu.engine.fetch_weights`): it runs before the
    project's code is added to the image, so that code changes do not re-download weights.
    """
    import json
    from pathlib import Path

    from huggingface_hub import snapshot_download

    path = Path(snapshot_download(MODEL))
    adapter = path / "adapter_config.json"
    if adapter.exists():
        snapshot_download(json.loads(adapter.read_text())["base_model_name_or_path"])


image = (
    modal.Image.debian_slim(python_version="3.11")
    .pip_install(
        "torch==2.9.1",
        "torchvision==0.24.1",
        "colpali-engine==0.3.18",
        "safetensors>=0.4",
        "starlette>=0.46",
        "python-multipart>=0.0.20",
        "pillow>=11",
        "numpy>=1.26",
        "huggingface_hub>=0.26",
        "hf_transfer>=0.1.8",
    )
    .env(
        {
            "HF_HOME": WEIGHTS_DIR,
            "HF_HUB_ENABLE_HF_TRANSFER": "1",
            "EMBEDDINGS_MODEL": MODEL,
            "EMBEDDINGS_TOKEN_BUDGET": str(TOKEN_BUDGET),
            "EMBEDDINGS_POOL_FACTOR": str(POOL_FACTOR),
        }
    )
    .run_function(download_weights)
    .env({"HF_HUB_OFFLINE": "1"})  # a cold start reads the baked weights, never the network
    .add_local_python_source("gpu")
)

app = modal.App(APP_NAME, image=image)
secrets = [modal.Secret.from_name(TOKEN_SECRET)] if TOKEN_SECRET else []

with image.imports():  # type: ignore[no-untyped-call]
    from gpu.engine import Engine, EngineOptions
    from gpu.server import create_app


@app.cls(
    gpu=GPU,
    scaledown_window=SCALEDOWN_WINDOW_S,
    max_containers=MAX_CONTAINERS,
    timeout=600,
    secrets=secrets,
)
@modal.concurrent(max_inputs=MAX_INPUTS)
class Embedder:
    @modal.enter()
    def load(self) -> None:
        self.engine = Engine(
            MODEL, EngineOptions(token_budget=TOKEN_BUDGET, pool_factor=POOL_FACTOR)
        )
        # Inputs run in threads, MAX_INPUTS at once: their forward passes take the engine's
        # turns (one token budget of GPU memory at a time, queries first), their decoding
        # and preprocessing do not. The web endpoint's requests take the same turns.

    @modal.method()
    def embed_images(self, images: list[bytes]) -> bytes:
        """Encoded page images in, safetensors of float16 (tokens, dim) arrays out."""
        vectors, grids = self.engine.embed_pages(images)
        return wire.encode(vectors, model=self.engine.name, grids=wire.encode_grids(grids))

    @modal.method()
    def embed_queries(self, queries: list[str]) -> bytes:
        """Queries in; their vectors out, with each query's token strings as metadata."""
        vectors, tokens = self.engine.embed_queries_with_tokens(queries)
        return wire.encode(vectors, model=self.engine.name, tokens=wire.encode_tokens(tokens))

    @modal.method()
    def describe(self) -> dict[str, Any]:
        return self.engine.describe()

    @modal.asgi_app(requires_proxy_auth=not TOKEN_SECRET)
    def web(self) -> Any:
        """The same endpoints as `python -m gpu.server`, for the API's `http` backend."""
        return create_app(lambda: self.engine, token=os.environ.get("EMBEDDINGS_URL_TOKEN"))


@app.local_entrypoint()
def smoke() -> None:
    """`modal run gpu/modal_app.py`: embed one query and one blank page on the deployed GPU."""
    import io

    from PIL import Image

    page = io.BytesIO()
    Image.new("RGB", (1024, 1024), "white").save(page, format="PNG")
    embedder = Embedder()
    print(embedder.describe.remote())
    queries = wire.decode(embedder.embed_queries.remote(["What is the revenue in 2024?"]))
    pages = wire.decode(embedder.embed_images.remote([page.getvalue()]))
    print(f"query {queries[0].shape}, page {pages[0].shape}")
