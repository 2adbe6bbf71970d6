"""One definition of the default model: ColQwen2.5 where CUDA is usable, colSmol elsewhere."""

from __future__ import annotations

import importlib
import sys

import pytest

from app.settings import Settings
from gpu import engine
from gpu.engine import DEFAULT_CPU_MODEL, DEFAULT_GPU_MODEL, default_model, resolve_device


@pytest.mark.parametrize(("cuda", "model"), [(True, DEFAULT_GPU_MODEL), (False, DEFAULT_CPU_MODEL)])
def test_the_default_model_follows_cuda(
    monkeypatch: pytest.MonkeyPatch, cuda: bool, model: str
) -> None:
    monkeypatch.setattr(engine, "cuda_available", lambda: cuda)
    monkeypatch.delenv("EMBEDDINGS_MODEL", raising=False)
    assert resolve_device("auto") == ("cuda" if cuda else "cpu")
    assert default_model("auto") == model
    # The API's local backend asks the same function (EMBEDDINGS_DEVICE=auto is the default).
    local = Settings(EMBEDDINGS_BACKEND="local", EMBEDDINGS_DEVICE="auto", _env_file=None)
    assert local.model_name == model


def test_an_explicit_device_or_model_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "cuda_available", lambda: True)
    assert default_model("cpu") == DEFAULT_CPU_MODEL
    assert default_model("cuda:1") == DEFAULT_GPU_MODEL
    chosen = Settings(EMBEDDINGS_MODEL="/models/mine", _env_file=None)
    assert chosen.model_name == "/models/mine"


def test_remote_backends_default_to_the_gpu_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "cuda_available", lambda: False)  # the API box has no GPU
    remote = Settings(EMBEDDINGS_BACKEND="http", _env_file=None)
    assert remote.model_name == DEFAULT_GPU_MODEL


def test_the_modal_app_serves_the_gpu_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EMBEDDINGS_MODEL", raising=False)
    sys.modules.pop("gpu.modal_app", None)
    try:
        assert importlib.import_module("gpu.modal_app").MODEL == DEFAULT_GPU_MODEL
    finally:
        sys.modules.pop("gpu.modal_app", None)


def test_cuda_is_asked_of_the_driver_without_torch() -> None:
    import subprocess

    code = "import sys; from gpu.engine import cuda_available; cuda_available(); print('torch' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
