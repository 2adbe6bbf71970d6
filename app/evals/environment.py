"""What a report records so a figure can be traced: package versions and the model's revision."""

from __future__ import annotations

import hashlib
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = (
    "paliapi",
    "numpy",
    "pyarrow",
    "httpx",
    "pymupdf",
    "pillow",
    "torch",
    "transformers",
    "colpali-engine",
    "datasets",
)
TEST_MODEL_PREFIX = "tiny"  # gpu/tiny_model.py's randomly initialised checkpoints


def package_versions() -> dict[str, str]:
    """Installed versions of the packages that shape an eval's figures (absent ones left out)."""
    versions = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return versions


def model_revision(model: str) -> str | None:
    """The revision the local backend would load `model` at: a hub commit, or a checkpoint hash.

    A hub name resolves through the local Hugging Face cache (`refs/main`, what loading reads);
    a local directory is identified by a SHA-256 of its file names, sizes and `config.json`.
    None when neither is known here (a remote server does not report its revision).
    """
    path = Path(model).expanduser()
    if path.is_dir():
        digest = hashlib.sha256()
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(f"{file.relative_to(path)}\0{file.stat().st_size}\0".encode())
        config = path / "config.json"
        if config.is_file():
            digest.update(config.read_bytes())
        return f"local:{digest.hexdigest()[:16]}"
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return None
    found: Any = try_to_load_from_cache(model, "config.json")
    if isinstance(found, str):
        return Path(found).parent.name  # .../snapshots/<commit>/config.json
    return None


def is_test_model(model: str) -> bool:
    """A randomly initialised checkpoint (the test suite's): its VISUAL figures mean nothing."""
    return Path(model).name.startswith(TEST_MODEL_PREFIX)
