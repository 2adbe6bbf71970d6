"""Every setting of the service, read once from the environment or a `.env` file."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from gpu.engine import DEFAULT_CPU_MODEL, DEFAULT_GPU_MODEL


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    # Unset: the embedded PostgreSQL (pgvector included) in `data_dir`.
    database_url: str | None = Field(default=None, alias="DATABASE_URL")
    data_dir: Path = Field(default=Path(".paliapi"), alias="PALIAPI_DATA_DIR")
    db_pool_size: int = Field(default=10, alias="PALIAPI_DB_POOL_SIZE")

    embeddings_backend: Literal["local", "http", "modal"] = Field(
        default="local", alias="EMBEDDINGS_BACKEND"
    )
    # Unset: colSmol on a CPU, ColQwen2.5 on a GPU (decided by the embedder when it loads).
    embeddings_model: str | None = Field(default=None, alias="EMBEDDINGS_MODEL")
    embeddings_url: str | None = Field(default=None, alias="EMBEDDINGS_URL")
    embeddings_url_token: str | None = Field(default=None, alias="EMBEDDINGS_URL_TOKEN")
    modal_app_name: str = Field(default="paliapi-embeddings", alias="MODAL_APP_NAME")
    embeddings_device: str = Field(default="auto", alias="EMBEDDINGS_DEVICE")
    embeddings_timeout_s: float = Field(default=60.0, gt=0, alias="EMBEDDINGS_TIMEOUT_S")
    embeddings_attempts: int = Field(default=4, ge=1, alias="EMBEDDINGS_ATTEMPTS")
    embeddings_concurrency: int = Field(default=4, ge=1, alias="EMBEDDINGS_CONCURRENCY")
    embeddings_query_cache_size: int = Field(
        default=4096, ge=1, alias="EMBEDDINGS_QUERY_CACHE_SIZE"
    )
    embeddings_token_budget: int = Field(default=32_768, gt=0, alias="EMBEDDINGS_TOKEN_BUDGET")
    embeddings_pool_factor: int = Field(default=1, ge=1, alias="EMBEDDINGS_POOL_FACTOR")

    max_upload_mb: float = Field(default=100.0, gt=0, alias="PALIAPI_MAX_UPLOAD_MB")
    render_dpi: int = Field(default=150, gt=0, alias="PALIAPI_RENDER_DPI")
    render_max_pixels: int = Field(default=1_000_000, gt=0, alias="PALIAPI_RENDER_MAX_PIXELS")
    render_workers: int = Field(default=2, ge=1, alias="PALIAPI_RENDER_WORKERS")
    page_image_format: Literal["webp", "jpeg", "png"] = Field(
        default="webp", alias="PALIAPI_PAGE_IMAGE_FORMAT"
    )
    image_pixel_limit: int = Field(default=100_000_000, gt=0, alias="PALIAPI_IMAGE_PIXEL_LIMIT")
    allow_private_urls: bool = Field(default=False, alias="PALIAPI_ALLOW_PRIVATE_URLS")
    url_timeout_s: float = Field(default=30.0, gt=0, alias="PALIAPI_URL_TIMEOUT_S")
    embed_batch_pages: int = Field(default=16, ge=1, alias="PALIAPI_EMBED_BATCH_PAGES")
    wait_timeout_s: float = Field(default=600.0, gt=0, alias="PALIAPI_WAIT_TIMEOUT_S")
    # None: run an ingestion worker inside `serve` on the embedded default only.
    inprocess_worker: bool | None = Field(default=None, alias="PALIAPI_INPROCESS_WORKER")
    job_heartbeat_s: float = Field(default=30.0, gt=0, alias="PALIAPI_JOB_HEARTBEAT_S")

    # Search: pages reranked exactly after the first stage; memory for first-stage indexes.
    search_rerank: int = Field(default=64, ge=1, alias="PALIAPI_SEARCH_RERANK")
    search_cache_mb: int = Field(default=2048, ge=1, alias="PALIAPI_SEARCH_CACHE_MB")
    search_max_top_k: int = Field(default=100, ge=1, alias="PALIAPI_SEARCH_MAX_TOP_K")

    # GraphQL limits: a client cannot make one request arbitrarily expensive.
    max_query_depth: int = Field(default=10, alias="PALIAPI_MAX_QUERY_DEPTH")
    max_query_aliases: int = Field(default=30, alias="PALIAPI_MAX_QUERY_ALIASES")
    max_query_tokens: int = Field(default=2000, alias="PALIAPI_MAX_QUERY_TOKENS")
    max_page_size: int = Field(default=100, alias="PALIAPI_MAX_PAGE_SIZE")
    default_page_size: int = Field(default=20, alias="PALIAPI_DEFAULT_PAGE_SIZE")

    @property
    def model_name(self) -> str:
        """The model new collections are embedded with (and the only one this server runs)."""
        if self.embeddings_model:
            return self.embeddings_model
        on_cpu = self.embeddings_backend == "local" and not self.embeddings_device.startswith(
            "cuda"
        )
        return DEFAULT_CPU_MODEL if on_cpu else DEFAULT_GPU_MODEL

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @cached_property
    def max_request_bytes(self) -> int:
        """Body size limit for any request: an upload, or base64 of one (4/3 larger) in JSON."""
        return int(self.max_upload_mb * 1024 * 1024 * 4 / 3) + 64 * 1024


settings = Settings()
