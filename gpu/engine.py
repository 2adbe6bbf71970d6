"""The embedding engine: any colpali-engine model family, by Hugging Face name or local path.

Pure model code (no web, no Modal): the HTTP server, the Modal app and the API's `local`
backend all call `Engine`. Every family sits behind colpali-engine's processor interface
(`process_images`, `process_queries`); the registry below is the only place that names them.
"""

from __future__ import annotations

import ctypes
import functools
import io
import json
import logging
import math
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from gpu.turns import Turns
from gpu.wire import MultiVector, PatchGrid

log = logging.getLogger(__name__)

DEFAULT_CPU_MODEL = "vidore/colSmol-256M"
DEFAULT_GPU_MODEL = "vidore/colqwen2.5-v0.2"
_PROMPT_TOKENS = 32  # the text around the image tokens, rounded up
# Padded tokens per forward pass, by device. A GPU fills its memory for throughput; a CPU
# gains little from batching (each page is already ~1,000 rows of every matrix product), and
# a search's query waits for the pass that is running: one or two pages there.
GPU_TOKEN_BUDGET = 32_768
CPU_TOKEN_BUDGET = 2_048


@functools.cache
def cuda_available() -> bool:
    """True when the NVIDIA driver reports a CUDA device.

    Asked of the driver (libcuda) rather than torch, so that choosing a default model
    costs no torch import: the API decides this at start-up, before any model loads.
    """
    try:
        cuda = ctypes.CDLL("libcuda.so.1")
    except OSError:
        return False
    count = ctypes.c_int(0)
    return bool(
        cuda.cuInit(0) == 0 and cuda.cuDeviceGetCount(ctypes.byref(count)) == 0 and count.value
    )


def resolve_device(device: str) -> str:
    """`auto` becomes `cuda` where a GPU is usable, else `cpu`; anything else is kept."""
    if device == "auto":
        return "cuda" if cuda_available() else "cpu"
    return device


def default_token_budget(device: str) -> int:
    """Padded tokens per forward pass when none is set, for a resolved device."""
    return GPU_TOKEN_BUDGET if device.startswith("cuda") else CPU_TOKEN_BUDGET


def default_model(device: str) -> str:
    """The model used when none is named: ColQwen2.5 on a GPU, colSmol on anything else.

    The one definition of the default, for the API's local backend, `gpu.server` and Modal.
    """
    return DEFAULT_GPU_MODEL if resolve_device(device).startswith("cuda") else DEFAULT_CPU_MODEL


def fetch_weights(name_or_path: str) -> None:
    """Make sure a checkpoint (and an adapter's base model) is on local disk.

    A directory is used as it is. A Hub name is downloaded into the Hugging Face cache once,
    with progress bars on stderr; `HF_HUB_OFFLINE=1` makes this use the cache only.
    """
    if Path(name_or_path).is_dir():
        return
    from huggingface_hub import snapshot_download

    log.info("fetching %s (a first run downloads it into the Hugging Face cache)", name_or_path)
    path = Path(snapshot_download(name_or_path))
    adapter = path / "adapter_config.json"
    if adapter.is_file():
        base = json.loads(adapter.read_text())["base_model_name_or_path"]
        log.info("fetching %s, the base model of the adapter %s", base, name_or_path)
        snapshot_download(base)


@dataclass(frozen=True)
class Family:
    """One colpali-engine model family and how to recognise its checkpoints."""

    model_class: str  # in colpali_engine.models
    processor_class: str
    architectures: tuple[str, ...]  # config.json "architectures"
    model_types: tuple[str, ...]  # config.json "model_type"
    name_hints: tuple[str, ...]  # substrings of hub names, most specific first


# Order matters for name hints: "colqwen2.5" must be tried before "colqwen2".
FAMILIES: dict[str, Family] = {
    "colqwen3": Family(
        "ColQwen3", "ColQwen3Processor", ("ColQwen3",), ("qwen3_vl",), ("colqwen3",)
    ),
    "colqwen2_5": Family(
        "ColQwen2_5",
        "ColQwen2_5_Processor",
        ("ColQwen2_5",),
        ("qwen2_5_vl",),
        ("colqwen2.5", "colqwen2_5"),
    ),
    "colqwen2": Family(
        "ColQwen2", "ColQwen2Processor", ("ColQwen2",), ("qwen2_vl",), ("colqwen2",)
    ),
    "colpali": Family("ColPali", "ColPaliProcessor", ("ColPali",), ("paligemma",), ("colpali",)),
    "colidefics3": Family(
        "ColIdefics3",
        "ColIdefics3Processor",
        ("ColIdefics3",),
        ("idefics3",),
        ("colsmol", "colidefics3"),
    ),
}


def _read_config(name_or_path: str) -> dict[str, Any]:
    """config.json from a local checkpoint or the Hugging Face cache (no download here)."""
    local = Path(name_or_path) / "config.json"
    if local.is_file():
        return dict(json.loads(local.read_text()))
    try:
        from huggingface_hub import hf_hub_download

        cached = hf_hub_download(name_or_path, "config.json", local_files_only=True)
        return dict(json.loads(Path(cached).read_text()))
    except Exception:  # not cached, or an adapter-only repository: fall back to the name
        return {}


def detect_family(name_or_path: str) -> str:
    config = _read_config(name_or_path)
    architectures = set(config.get("architectures") or [])
    for key, family in FAMILIES.items():
        if architectures & set(family.architectures):
            return key
    for key, family in FAMILIES.items():
        if config.get("model_type") in family.model_types:
            return key
    lowered = name_or_path.lower()
    for key, family in FAMILIES.items():
        if any(hint in lowered for hint in family.name_hints):
            return key
    raise ValueError(
        f"cannot tell which colpali-engine family {name_or_path!r} belongs to; "
        f"pass family= one of {', '.join(FAMILIES)}"
    )


@dataclass(frozen=True)
class EngineOptions:
    device: str = "auto"  # auto | cpu | cuda | cuda:N | mps
    token_budget: int | None = None  # padded tokens per forward pass; None: by device
    max_batch_size: int = 64
    pool_factor: int = 1  # hierarchical token pooling of page vectors; 1 = off
    family: str | None = None  # None: detected from the checkpoint


class Engine:
    """A loaded model and processor; turns images and queries into float16 multi-vectors."""

    def __init__(
        self, name_or_path: str | None = None, options: EngineOptions | None = None
    ) -> None:
        import colpali_engine.models as families
        import torch

        self.options = options or EngineOptions()
        device = resolve_device(self.options.device)
        self.device = device
        self.token_budget = self.options.token_budget or default_token_budget(device)
        # Every caller (server requests, Modal inputs, the API's local backend) shares the
        # engine's turns, taken per forward pass: a query waits for one pass, not one call.
        self.turns = Turns()
        # The processor's work runs outside the turns, one caller at a time: processors are
        # not documented as thread-safe, and a fast tokenizer whose padding settings one
        # thread changes while another encodes fails ("Already borrowed").
        self._processing = threading.Lock()
        on_gpu = device.startswith("cuda")
        self.name = name_or_path or default_model(device)
        fetch_weights(self.name)
        self.family = self.options.family or detect_family(self.name)
        family = FAMILIES[self.family]
        self.dtype = torch.bfloat16 if on_gpu else torch.float32
        kwargs: dict[str, Any] = {"dtype": self.dtype, "device_map": device}
        if on_gpu:
            kwargs["attn_implementation"] = _best_attention()
        log.info("loading %s (%s) on %s", self.name, self.family, device)
        self.model = (
            getattr(families, family.model_class).from_pretrained(self.name, **kwargs).eval()
        )
        self.processor = getattr(families, family.processor_class).from_pretrained(self.name)
        self.dim = int(self.model.dim)
        self._torch = torch
        self._fixed_tokens: int | None = None

    # -- public API -------------------------------------------------------------------

    def embed_images(self, images: Sequence[Image.Image | bytes]) -> list[MultiVector]:
        """One (tokens, dim) float16 array per image, padding removed, pooled if configured."""
        return self.embed_pages(images)[0]

    def embed_pages(
        self, images: Sequence[Image.Image | bytes]
    ) -> tuple[list[MultiVector], list[PatchGrid | None]]:
        """`embed_images`, with where each image's patches sit in its vectors (None when the
        patches form no single grid, or when pooling has merged them)."""
        decoded = [open_image(image) for image in images]
        costs = [self.estimate_tokens(image) for image in decoded]
        results: list[MultiVector | None] = [None] * len(decoded)
        grids: list[PatchGrid | None] = [None] * len(decoded)
        for batch in self._batches(costs):
            with self._processing:
                inputs = self.processor.process_images([decoded[i] for i in batch])
                found = self._grids(inputs)
            passed = self._forward(inputs, query=False)
            for index, vectors, grid in zip(batch, passed, found, strict=True):
                results[index], grids[index] = vectors, grid
        if self.options.pool_factor > 1:
            pooled = self._pool([r for r in results if r is not None])
            return pooled, [None] * len(pooled)
        return [r for r in results if r is not None], grids

    def embed_queries(self, queries: Sequence[str]) -> list[MultiVector]:
        return self.embed_queries_with_tokens(queries)[0]

    def embed_queries_with_tokens(
        self, queries: Sequence[str]
    ) -> tuple[list[MultiVector], list[list[str]]]:
        """`embed_queries`, with each query's tokens as the model saw them (one per vector:
        the processor's prefix and augmentation tokens included)."""
        results: list[MultiVector] = []
        tokens: list[list[str]] = []
        step = self.options.max_batch_size
        for start in range(0, len(queries), step):
            with self._processing:
                inputs = self.processor.process_queries(list(queries[start : start + step]))
                tokens.extend(self._token_strings(inputs))
            results.extend(self._forward(inputs, query=True))
        return results, tokens

    def estimate_tokens(self, image: Image.Image) -> int:
        """Sequence length this image will take, to size batches without running the model."""
        image_processor = self.processor.image_processor
        merge = getattr(image_processor, "merge_size", None)
        if merge:  # Qwen-VL families: dynamic resolution, one token per merged patch
            from transformers.models.qwen2_vl.image_processing_qwen2_vl import smart_resize

            size = getattr(image_processor, "size", None) or {}
            factor = int(image_processor.patch_size) * int(merge)
            height, width = smart_resize(
                image.height,
                image.width,
                factor=factor,
                min_pixels=getattr(image_processor, "min_pixels", None) or size["shortest_edge"],
                max_pixels=getattr(image_processor, "max_pixels", None) or size["longest_edge"],
            )
            return int(height // factor) * int(width // factor) + _PROMPT_TOKENS
        if self._fixed_tokens is None:  # fixed resolution: measure once
            with self._processing:
                probe = self.processor.process_images([Image.new("RGB", (64, 64), "white")])
            self._fixed_tokens = int(probe["input_ids"].shape[1])
        return self._fixed_tokens

    # -- internals --------------------------------------------------------------------

    def _batches(self, costs: list[int]) -> Iterator[list[int]]:
        """Group inputs so that batch size x longest sequence stays within the token budget."""
        order = sorted(range(len(costs)), key=costs.__getitem__)  # similar lengths pad least
        batch: list[int] = []
        longest = 0
        for index in order:
            cost = costs[index]
            grown = max(longest, cost) * (len(batch) + 1)
            if batch and (grown > self.token_budget or len(batch) >= self.options.max_batch_size):
                yield batch
                batch, longest = [], 0
            batch.append(index)
            longest = max(longest, cost)
        if batch:
            yield batch

    def _forward(self, inputs: Any, *, query: bool) -> list[MultiVector]:
        """One pass of the model, in its turn on the device (the processor's work is done)."""
        torch = self._torch
        with self.turns.turn(query=query):
            inputs = inputs.to(self.model.device)
            with torch.inference_mode():
                output = self.model(**inputs)  # (batch, tokens, dim)
            mask = inputs["attention_mask"].bool()  # (batch, tokens)
            # Padded positions are garbage (NaN, with some models): keep only real tokens.
            return [
                output[row][mask[row]].to(torch.float16).cpu().numpy()
                for row in range(output.shape[0])
            ]

    def _token_strings(self, inputs: Any) -> list[list[str]]:
        tokenizer = self.processor.tokenizer
        mask = inputs["attention_mask"].bool()  # (batch, tokens)
        return [
            [tokenizer.decode([int(i)]) for i in inputs["input_ids"][row][mask[row]]]
            for row in range(mask.shape[0])
        ]

    def _image_token_id(self) -> int | None:
        found = getattr(self.processor, "image_token_id", None)
        if found is None and getattr(self.processor, "image_token", None):
            found = self.processor.tokenizer.convert_tokens_to_ids(self.processor.image_token)
        return int(found) if found is not None else None

    def _grids(self, inputs: Any) -> list[PatchGrid | None]:
        """Each image's patch grid, from the processor's own output.

        Qwen-VL families say it (`image_grid_thw`, in patches before the merge); a fixed
        square of image tokens (ColPali's 32 x 32, an unsplit Idefics3 image's 8 x 8) is its
        own grid. Image tokens that are not one contiguous run matching the grid (Idefics3's
        tiles) have none.
        """
        mask = inputs["attention_mask"].bool()  # (batch, tokens)
        image_token = self._image_token_id()
        grids: list[PatchGrid | None] = [None] * mask.shape[0]
        if image_token is None:
            return grids
        thw = inputs.get("image_grid_thw")  # (batch, 3): temporal, height, width patches
        merge = int(getattr(self.processor.image_processor, "merge_size", 1) or 1)
        for row in range(mask.shape[0]):
            kept = inputs["input_ids"][row][mask[row]]
            positions = (kept == image_token).nonzero().flatten().tolist()
            if not positions:
                continue
            if thw is not None:
                _, height, width = (int(v) for v in thw[row])
                rows, columns = height // merge, width // merge
            else:
                side = math.isqrt(len(positions))
                rows = columns = side
            contiguous = positions[-1] - positions[0] + 1 == len(positions)
            if contiguous and rows * columns == len(positions):
                grids[row] = PatchGrid(int(positions[0]), rows, columns)
        return grids

    def _pool(self, vectors: list[MultiVector]) -> list[MultiVector]:
        from colpali_engine.compression.token_pooling import HierarchicalTokenPooler

        torch = self._torch
        pooled = HierarchicalTokenPooler().pool_embeddings(
            [torch.from_numpy(v.astype(np.float32)) for v in vectors],
            pool_factor=self.options.pool_factor,
        )
        return [p.to(torch.float16).numpy() for p in pooled]

    def describe(self) -> dict[str, Any]:
        return {
            "model": self.name,
            "family": self.family,
            "dim": self.dim,
            "device": self.device,
            "dtype": str(self.dtype).removeprefix("torch."),
            "token_budget": self.token_budget,
            "pool_factor": self.options.pool_factor,
        }


def open_image(image: Image.Image | bytes) -> Image.Image:
    """An RGB image from a PIL image or encoded bytes (PNG, JPEG, WebP...). An RGB image is
    returned as it is: `gpu.server` decodes a request's images (a bad one is a 400) before
    the engine sees them, and a copy made again would be work for nothing."""
    if isinstance(image, Image.Image):
        return image if image.mode == "RGB" else image.convert("RGB")
    with Image.open(io.BytesIO(image)) as opened:
        return opened.convert("RGB")


def _best_attention() -> str:
    try:
        import flash_attn  # noqa: F401
    except ImportError:
        return "sdpa"
    return "flash_attention_2"
