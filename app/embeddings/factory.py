"""Build the configured embedder (EMBEDDINGS_BACKEND), with its query cache in front."""

from __future__ import annotations

from app.embeddings.base import Embedder
from app.embeddings.cache import CachedEmbedder
from app.errors import ErrorCode, PaliError
from app.settings import Settings


def make_embedder(settings: Settings) -> CachedEmbedder:
    inner: Embedder
    if settings.embeddings_backend == "http":
        if not settings.embeddings_url:
            raise PaliError(
                ErrorCode.EMBEDDINGS_UNAVAILABLE, "EMBEDDINGS_BACKEND=http needs EMBEDDINGS_URL."
            )
        from app.embeddings.http import HttpEmbedder

        inner = HttpEmbedder(
            settings.embeddings_url,
            model_name=settings.model_name,
            expected_model=settings.embeddings_model,
            token=settings.embeddings_url_token,
            timeout=settings.embeddings_timeout_s,
            attempts=settings.embeddings_attempts,
            concurrency=settings.embeddings_concurrency,
        )
    elif settings.embeddings_backend == "modal":
        from app.embeddings.modal import ModalEmbedder

        inner = ModalEmbedder(
            settings.modal_app_name,
            model_name=settings.model_name,
            expected_model=settings.embeddings_model,
            timeout=settings.embeddings_timeout_s,
            attempts=settings.embeddings_attempts,
            concurrency=settings.embeddings_concurrency,
        )
    else:
        from app.embeddings.local import LocalEmbedder
        from gpu.engine import EngineOptions

        inner = LocalEmbedder(
            settings.model_name,
            EngineOptions(
                device=settings.embeddings_device,
                token_budget=settings.embeddings_token_budget,
                pool_factor=settings.embeddings_pool_factor,
            ),
        )
    return CachedEmbedder(inner, size=settings.embeddings_query_cache_size)
