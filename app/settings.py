"""Every setting of the service, read once from the environment or a `.env` file."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from gpu.engine import DEFAULT_GPU_MODEL, default_model


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    # Unset: the embedded PostgreSQL (pgvector included) in `data_dir`.
    database_url: str | None = Field(default=None, alias="DATABASE_URL")
    data_dir: Path = Field(default=Path(".paliapi"), alias="PALIAPI_DATA_DIR")
    db_pool_size: int = Field(default=10, alias="PALIAPI_DB_POOL_SIZE")

    embeddings_backend: Literal["local", "http", "modal"] = Field(
        default="local", alias="EMBEDDINGS_BACKEND"
    )
    # Unset: colSmol on a CPU, ColQwen2.5 on a GPU (`model_name` below).
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
    # Padded tokens per forward pass of the local engine; None: 32,768 on a GPU, 2,048 on a CPU.
    embeddings_token_budget: int | None = Field(default=None, gt=0, alias="EMBEDDINGS_TOKEN_BUDGET")
    embeddings_pool_factor: int = Field(default=1, ge=1, alias="EMBEDDINGS_POOL_FACTOR")
    # Load the model (local) or reach the service (http) when the process starts, in the
    # background, so the first upload does not wait and /healthz tells the state early.
    embeddings_preload: bool = Field(default=True, alias="EMBEDDINGS_PRELOAD")

    max_upload_mb: float = Field(default=100.0, gt=0, alias="PALIAPI_MAX_UPLOAD_MB")
    render_dpi: int = Field(default=150, gt=0, alias="PALIAPI_RENDER_DPI")
    render_max_pixels: int = Field(default=1_000_000, gt=0, alias="PALIAPI_RENDER_MAX_PIXELS")
    render_workers: int = Field(default=2, ge=1, alias="PALIAPI_RENDER_WORKERS")
    page_image_format: Literal["webp", "jpeg", "png"] = Field(
        default="webp", alias="PALIAPI_PAGE_IMAGE_FORMAT"
    )
    image_pixel_limit: int = Field(default=100_000_000, gt=0, alias="PALIAPI_IMAGE_PIXEL_LIMIT")
    # Office files become PDFs through LibreOffice (`soffice`, found on PATH), one subprocess
    # per document: killed after the timeout, its address space capped; a ZIP-based file
    # whose members inflate past the unzipped limit is refused as a ZIP bomb.
    soffice: str = Field(default="soffice", alias="PALIAPI_SOFFICE")
    convert_timeout_s: float = Field(default=120.0, gt=0, alias="PALIAPI_CONVERT_TIMEOUT_S")
    convert_memory_mb: int = Field(default=2048, ge=256, alias="PALIAPI_CONVERT_MEMORY_MB")
    convert_max_unzipped_mb: float = Field(
        default=1024.0, gt=0, alias="PALIAPI_CONVERT_MAX_UNZIPPED_MB"
    )
    # Web pages (HTML) are laid out by headless Chromium (found on PATH) and captured as
    # pages: loading and settling within the timeout, captured down to at most max pages.
    chromium: str = Field(default="chromium", alias="PALIAPI_CHROMIUM")
    web_page_timeout_s: float = Field(default=30.0, gt=0, alias="PALIAPI_WEB_PAGE_TIMEOUT_S")
    web_page_max_pages: int = Field(default=20, ge=1, alias="PALIAPI_WEB_PAGE_MAX_PAGES")
    allow_private_urls: bool = Field(default=False, alias="PALIAPI_ALLOW_PRIVATE_URLS")
    url_timeout_s: float = Field(default=30.0, gt=0, alias="PALIAPI_URL_TIMEOUT_S")
    # Ports a document URL may name (comma-separated in the environment).
    url_allowed_ports: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset({80, 443}), alias="PALIAPI_URL_ALLOWED_PORTS"
    )
    embed_batch_pages: int = Field(default=16, ge=1, alias="PALIAPI_EMBED_BATCH_PAGES")
    wait_timeout_s: float = Field(default=600.0, gt=0, alias="PALIAPI_WAIT_TIMEOUT_S")
    # None: run an ingestion worker inside `serve` on the embedded default only.
    inprocess_worker: bool | None = Field(default=None, alias="PALIAPI_INPROCESS_WORKER")
    job_heartbeat_s: float = Field(default=30.0, gt=0, alias="PALIAPI_JOB_HEARTBEAT_S")
    # Ingest jobs one worker process runs at once, and one user's share of them (across
    # every worker): a user's big upload never takes all the slots.
    worker_concurrency: int = Field(default=4, ge=2, alias="PALIAPI_WORKER_CONCURRENCY")
    max_concurrent_ingests_per_user: int = Field(
        default=2, ge=1, alias="PALIAPI_MAX_CONCURRENT_INGESTS_PER_USER"
    )
    # Webhooks: the waits before each retry of a failed delivery (comma-separated seconds,
    # each jittered by ±20%); a delivery is FAILED after len + 1 attempts (9 by default,
    # the last about 10.5 hours after the first).
    webhook_retry_delays_s: Annotated[tuple[float, ...], NoDecode] = Field(
        default=(5.0, 30.0, 120.0, 600.0, 1800.0, 3600.0, 10800.0, 21600.0),
        alias="PALIAPI_WEBHOOK_RETRY_DELAYS_S",
    )
    webhook_timeout_s: float = Field(default=10.0, gt=0, alias="PALIAPI_WEBHOOK_TIMEOUT_S")
    # Deliveries one worker process sends at once, apart from its ingest jobs.
    webhook_concurrency: int = Field(default=8, ge=2, alias="PALIAPI_WEBHOOK_CONCURRENCY")

    # Per-user token buckets (admins exempt): a steady rate per second and a burst.
    rate_limit_search_per_s: float = Field(
        default=20.0, gt=0, alias="PALIAPI_RATE_LIMIT_SEARCH_PER_S"
    )
    rate_limit_search_burst: int = Field(default=100, ge=1, alias="PALIAPI_RATE_LIMIT_SEARCH_BURST")
    rate_limit_upload_per_s: float = Field(
        default=5.0, gt=0, alias="PALIAPI_RATE_LIMIT_UPLOAD_PER_S"
    )
    rate_limit_upload_burst: int = Field(default=50, ge=1, alias="PALIAPI_RATE_LIMIT_UPLOAD_BURST")
    # Pages an `exact: true` search may score for a non-admin.
    max_exact_candidates: int = Field(default=10_000, ge=1, alias="PALIAPI_MAX_EXACT_CANDIDATES")

    # Search: pages reranked exactly after the first stage, for a scope of up to 10k pages;
    # larger scopes rerank this times (pages / 10k)^0.3 (`first_stage.rerank_count`).
    search_rerank: int = Field(default=32, ge=1, alias="PALIAPI_SEARCH_RERANK")
    # Pages the first stage's HNSW scan pulls (by pooled vector) before centroid MaxSim, for a
    # scope of up to 10k pages; larger scopes pull this times (pages / 10k)^0.8, since the
    # pooled key's ranking of the true best pages falls with the corpus (app/search/
    # first_stage.py `candidate_count`).
    search_candidates: int = Field(default=300, ge=1, alias="PALIAPI_SEARCH_CANDIDATES")
    search_max_top_k: int = Field(default=100, ge=1, alias="PALIAPI_SEARCH_MAX_TOP_K")
    # Items one `embed` request may carry (each also takes a search rate-limit token).
    embed_max_batch: int = Field(default=16, ge=1, alias="PALIAPI_EMBED_MAX_BATCH")

    # GraphQL limits: a client cannot make one request arbitrarily expensive.
    max_query_depth: int = Field(default=10, alias="PALIAPI_MAX_QUERY_DEPTH")
    max_query_aliases: int = Field(default=30, alias="PALIAPI_MAX_QUERY_ALIASES")
    max_query_tokens: int = Field(default=2000, alias="PALIAPI_MAX_QUERY_TOKENS")
    max_page_size: int = Field(default=100, alias="PALIAPI_MAX_PAGE_SIZE")
    default_page_size: int = Field(default=20, alias="PALIAPI_DEFAULT_PAGE_SIZE")

    # Observability. auto: JSON lines unless stdout is a terminal. No token: /metrics is open.
    log_format: Literal["json", "console", "auto"] = Field(
        default="auto", alias="PALIAPI_LOG_FORMAT"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", alias="PALIAPI_LOG_LEVEL"
    )
    metrics_token: str | None = Field(default=None, alias="PALIAPI_METRICS_TOKEN")

    # Metadata and filters are user JSON stored or compiled to SQL: bounded in size and nesting.
    max_metadata_bytes: int = Field(default=64 * 1024, gt=0, alias="PALIAPI_MAX_METADATA_BYTES")
    max_metadata_depth: int = Field(default=16, gt=0, alias="PALIAPI_MAX_METADATA_DEPTH")
    max_filter_depth: int = Field(default=16, gt=0, alias="PALIAPI_MAX_FILTER_DEPTH")
    # Base of absolute URLs handed to clients (e.g. https://api.example.com); unset: relative.
    public_url: str | None = Field(default=None, alias="PALIAPI_PUBLIC_URL")
    # Browser origins allowed to call the API (comma-separated, `*` for any); empty: only the
    # API's own origin (no CORS headers at all).
    cors_origins: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(), alias="PALIAPI_CORS_ORIGINS"
    )
    # The HMAC key of signed page-image URLs. Unset: a random key generated once into
    # `data_dir` (every API replica must then share that file, or set this).
    url_signing_key: str | None = Field(default=None, alias="PALIAPI_URL_SIGNING_KEY")
    # How long a signed page-image URL stays valid, at least (see app/page_urls.py).
    image_url_ttl_s: int = Field(default=3600, ge=60, alias="PALIAPI_IMAGE_URL_TTL_S")
    # The built web app (`make web`) served at `/`; unset: web/dist in the source tree.
    web_dir: Path | None = Field(default=None, alias="PALIAPI_WEB_DIR")

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origin_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip().rstrip("/") for part in value.split(",") if part.strip())
        return value

    @field_validator("url_allowed_ports", mode="before")
    @classmethod
    def _port_list(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(" ", "").split(",") if part)
        return value

    @field_validator("webhook_retry_delays_s", mode="before")
    @classmethod
    def _delay_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(float(part) for part in value.replace(" ", "").split(",") if part)
        return value

    @property
    def model_name(self) -> str:
        """The model new collections are embedded with (and the only one this server runs).

        Unset: the local backend takes the default for its device (`auto` asks torch for a
        GPU); remote backends run on GPUs, and report their model with every answer anyway.
        """
        if self.embeddings_model:
            return self.embeddings_model
        if self.embeddings_backend == "local":
            return default_model(self.embeddings_device)
        return DEFAULT_GPU_MODEL

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @cached_property
    def max_request_bytes(self) -> int:
        """Body size limit for any request: an upload, or base64 of one (4/3 larger) in JSON."""
        return int(self.max_upload_mb * 1024 * 1024 * 4 / 3) + 64 * 1024


settings = Settings()
