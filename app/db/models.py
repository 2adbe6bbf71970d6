"""SQLModel tables. Deletes cascade in the database, so one DELETE removes a whole subtree."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pgvector.sqlalchemy import HALFVEC
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Computed,
    DateTime,
    Double,
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Index,
    LargeBinary,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlmodel import Field, SQLModel


class DocumentStatus(StrEnum):
    PENDING = "PENDING"
    PROCESSING = "PROCESSING"
    READY = "READY"
    FAILED = "FAILED"


class SourceKind(StrEnum):
    UPLOAD = "upload"
    URL = "url"
    BASE64 = "base64"


def _id_column() -> Any:
    """A tenant table's id: unique, but its primary key is (owner_id, id) (`_owner_keys`)."""
    return Column(BigInteger, Identity(always=True), nullable=False)


def _owner_keys(table: str, key: str = "id", **references: str) -> tuple[Any, ...]:
    """Keys for sharding by owner (migration 0011): primary key (owner_id, key), which every
    lookup uses (each names the owner: migration 0018); each reference `column="target"` a
    foreign key (owner_id, column) -> target (owner_id, id). Citus needs the distribution
    column in every key between distributed tables."""
    return (
        PrimaryKeyConstraint("owner_id", key, name=f"{table}_pkey"),
        *(
            ForeignKeyConstraint(
                ["owner_id", column],
                [f"{target}.owner_id", f"{target}.id"],
                name=f"{table}_{column}_fkey",
                ondelete="CASCADE",
            )
            for column, target in references.items()
        ),
    )


def _page_row_keys(table: str) -> tuple[Any, ...]:
    """A per-page table's keys (page, collection and document, each joined owner to owner)
    and the indexes its filters and its collection's and document's cascades use."""
    return (
        *_owner_keys(
            table, "page_id", page_id="pages", collection_id="collections", document_id="documents"
        ),
        Index(f"ix_{table}_owner_collection", "owner_id", "collection_id"),
        Index(f"ix_{table}_document_id", "document_id"),
    )


def _owner_column() -> Any:
    """A tenant table's owner: the first column of its primary key, whose index serves the
    foreign key's cascade from `users` too."""
    return Column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)


def _timestamp(*, onupdate: bool = False) -> Any:
    return Column(
        DateTime(timezone=True),
        nullable=False,
        server_default=func.now(),
        onupdate=func.now() if onupdate else None,
    )


def metadata_column(table: type[SQLModel]) -> Any:
    """The JSONB `metadata` column of a table, for the filter compiler."""
    return table.__table__.c.metadata  # type: ignore[attr-defined]


def _metadata() -> Any:
    # Attribute `meta`, column `metadata`: SQLAlchemy reserves the attribute name.
    return Column("metadata", JSONB, nullable=False, server_default="{}")


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=True), primary_key=True)
    )
    name: str = Field(sa_column=Column(String(100), nullable=False, unique=True))
    # SHA-256 of the bearer token: a leaked database does not leak usable tokens.
    token_sha256: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    is_admin: bool = Field(default=False, nullable=False)
    created_at: datetime | None = Field(default=None, sa_column=_timestamp())


class Collection(SQLModel, table=True):
    __tablename__ = "collections"
    __table_args__ = (
        *_owner_keys("collections"),
        UniqueConstraint("owner_id", "name", name="uq_collections_owner_name"),
        Index("ix_collections_metadata", "metadata", postgresql_using="gin"),
        CheckConstraint("pool_factor BETWEEN 1 AND 16", name="ck_collections_pool_factor"),
    )
    id: int | None = Field(default=None, sa_column=_id_column())
    owner_id: int = Field(sa_column=_owner_column())
    name: str = Field(sa_column=Column(String(200), nullable=False))
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=_metadata())
    model: str = Field(sa_column=Column(String(300), nullable=False))
    # Hierarchical token pooling of its pages (1 = off; migration 0008), fixed at creation.
    pool_factor: int = Field(
        default=1, sa_column=Column(SmallInteger, nullable=False, server_default="1")
    )
    created_at: datetime | None = Field(default=None, sa_column=_timestamp())
    updated_at: datetime | None = Field(default=None, sa_column=_timestamp(onupdate=True))


class Document(SQLModel, table=True):
    __tablename__ = "documents"
    __table_args__ = (
        *_owner_keys("documents", collection_id="collections"),
        UniqueConstraint("owner_id", "collection_id", "name", name="uq_documents_collection_name"),
        Index("ix_documents_metadata", "metadata", postgresql_using="gin"),
    )
    id: int | None = Field(default=None, sa_column=_id_column())
    collection_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    # Denormalised owner: every tenant-scoped query filters on it without a join.
    owner_id: int = Field(sa_column=_owner_column())
    name: str = Field(sa_column=Column(String(300), nullable=False))
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=_metadata())
    source: SourceKind = Field(
        sa_column=Column(
            SAEnum(SourceKind, name="document_source", native_enum=False, length=16),
            nullable=False,
        )
    )
    source_url: str | None = Field(default=None, sa_column=Column(Text))
    mime_type: str | None = Field(default=None, sa_column=Column(String(100)))
    size_bytes: int | None = Field(default=None, sa_column=Column(BigInteger))
    content_sha256: str | None = Field(default=None, sa_column=Column(String(64)))
    page_count: int = Field(default=0, nullable=False)
    status: DocumentStatus = Field(
        default=DocumentStatus.PENDING,
        sa_column=Column(
            SAEnum(DocumentStatus, name="document_status", native_enum=False, length=16),
            nullable=False,
        ),
    )
    progress: float = Field(default=0.0, nullable=False)
    error: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime | None = Field(default=None, sa_column=_timestamp())
    updated_at: datetime | None = Field(default=None, sa_column=_timestamp(onupdate=True))


class Page(SQLModel, table=True):
    __tablename__ = "pages"
    __table_args__ = (
        *_owner_keys("pages", document_id="documents"),
        UniqueConstraint("owner_id", "document_id", "number", name="uq_pages_document_number"),
        Index("ix_pages_text_tsv", "text_tsv", postgresql_using="gin"),
    )
    id: int | None = Field(default=None, sa_column=_id_column())
    owner_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    document_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    number: int = Field(nullable=False)  # 1-based
    width: int = Field(nullable=False)
    height: int = Field(nullable=False)
    text: str | None = Field(default=None, sa_column=Column(Text))
    text_tsv: str | None = Field(
        default=None,
        sa_column=Column(
            TSVECTOR, Computed("to_tsvector('english', coalesce(text, ''))", persisted=True)
        ),
    )
    image: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    image_mime: str = Field(sa_column=Column(String(32), nullable=False))


class PageEmbedding(SQLModel, table=True):
    __tablename__ = "page_embeddings"
    __table_args__ = _page_row_keys("page_embeddings")

    page_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    # Owner, collection and document kept on the row, as on `page_keys` (which filtered
    # searches read since migration 0016); a document's move updates both.
    owner_id: int = Field(sa_column=_owner_column())
    collection_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    document_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    model: str = Field(sa_column=Column(String(300), nullable=False))
    token_count: int = Field(nullable=False)
    dim: int = Field(nullable=False)
    # The multi-vector as one float32 scale per token, then int8 codes (tokens x dim): half
    # the bytes of float16, one TOAST value; the exact rerank reads it (app/db/vectors.py).
    vectors: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    # Where the page's image patches sit in `vectors` (migration 0007): the first patch's
    # token index and the grid the model saw, row-major. Null where the model's patches form
    # no single grid, the vectors are pooled, or the row predates 0007: no similarity map.
    patch_offset: int | None = Field(default=None, nullable=True)
    patch_rows: int | None = Field(default=None, nullable=True)
    patch_columns: int | None = Field(default=None, nullable=True)


class PageKey(SQLModel, table=True):
    """What the first stage reads of a page (migration 0016): its pooled vector, under HNSW
    for 128-dim models, its 8 coarse centroids, and the columns a filter reads. Partitioned
    by hash of the owner (16 partitions, each with its own graph, made by the migration: an
    expression index and partitions autogenerate cannot compare; app/db/migrate.py skips
    them), so a search walks its owner's partition, not every owner's pages."""

    __tablename__ = "page_keys"
    __table_args__ = (
        *_page_row_keys("page_keys"),
        {"postgresql_partition_by": "HASH (owner_id)"},
    )

    page_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    owner_id: int = Field(sa_column=_owner_column())
    collection_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    document_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    model: str = Field(sa_column=Column(String(300), nullable=False))
    dim: int = Field(nullable=False)
    # The unit mean of the page's tokens: the index scan pulls candidates by it.
    page_vector: Any = Field(sa_column=Column(HALFVEC(), nullable=False))
    # k-means of the page's 32 centroids (app/db/vectors.py COARSE), ~1 KB in the row the
    # scan reads anyway: they narrow its candidates at no extra lookup.
    coarse: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class PageCentroids(SQLModel, table=True):
    """32 k-means centroids of a page's tokens, stored as `vectors` is (0012): the first stage
    scores them for its candidates. A table of their own (migration 0013), kept whole in the
    row (`toast_tuple_target` at its maximum): a search fetches ~300 of them by key (1,893 at
    100k pages), each a TOAST lookup and three chunks when they were a column of
    `page_embeddings`, whose rows stay narrow for the scans of filtered scopes."""

    __tablename__ = "page_centroids"
    __table_args__ = _owner_keys("page_centroids", "page_id", page_id="pages")

    page_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    owner_id: int = Field(sa_column=_owner_column())
    centroids: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class DocumentSource(SQLModel, table=True):
    """The uploaded bytes, kept so a failed or interrupted ingest can run again."""

    __tablename__ = "document_sources"
    __table_args__ = _owner_keys("document_sources", "document_id", document_id="documents")

    owner_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    document_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class RateLimitBucket(SQLModel, table=True):
    """A user's token bucket for one kind of request (migration 0005; `app/rate_limits.py`)."""

    __tablename__ = "rate_limit_buckets"
    __table_args__ = {"prefixes": ["UNLOGGED"]}

    user_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    )
    bucket: str = Field(sa_column=Column(Text, primary_key=True))
    tokens: float = Field(sa_column=Column(Double, nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    # Whether the last take was granted: RETURNING can only show the row as updated.
    granted: bool = Field(sa_column=Column(Boolean, nullable=False))


class WebhookDeliveryStatus(StrEnum):
    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class Webhook(SQLModel, table=True):
    """A user's endpoint for event notifications (migration 0010; `app/services/webhooks.py`)."""

    __tablename__ = "webhooks"
    __table_args__ = _owner_keys("webhooks")
    id: int | None = Field(default=None, sa_column=_id_column())
    owner_id: int = Field(sa_column=_owner_column())
    url: str = Field(sa_column=Column(Text, nullable=False))
    events: list[str] = Field(sa_column=Column(ARRAY(Text), nullable=False))
    # The Standard Webhooks signing key (`whsec_` + base64). HMAC needs the key itself, so it
    # is kept as given, unlike API tokens; the API shows it once, at creation.
    secret: str = Field(sa_column=Column(String(200), nullable=False))
    created_at: datetime | None = Field(default=None, sa_column=_timestamp())


class WebhookDelivery(SQLModel, table=True):
    """One event for one endpoint: the job queue sends it until it succeeds or runs out of
    attempts; the row is the delivery log the API shows."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        *_owner_keys("webhook_deliveries", webhook_id="webhooks"),
        # One delivery per event and endpoint, and the index that lists an endpoint's log.
        UniqueConstraint(
            "owner_id", "webhook_id", "event_id", name="uq_webhook_deliveries_webhook_event"
        ),
        # A starting worker looks for unfinished deliveries whose job was lost: few rows.
        Index(
            "ix_webhook_deliveries_pending",
            "id",
            postgresql_where=text("status = 'PENDING'"),
        ),
    )
    id: int | None = Field(default=None, sa_column=_id_column())
    # Denormalised owner, as on every tenant-scoped table.
    owner_id: int = Field(sa_column=_owner_column())
    webhook_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    # The `webhook-id` header: the same on every attempt, so receivers can deduplicate.
    event_id: str = Field(sa_column=Column(String(64), nullable=False))
    event_type: str = Field(sa_column=Column(String(64), nullable=False))
    payload: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    status: WebhookDeliveryStatus = Field(
        default=WebhookDeliveryStatus.PENDING,
        sa_column=Column(
            SAEnum(
                WebhookDeliveryStatus, name="webhook_delivery_status", native_enum=False, length=16
            ),
            nullable=False,
        ),
    )
    attempts: int = Field(default=0, nullable=False)
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    last_status_code: int | None = Field(default=None, nullable=True)
    next_attempt_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True))
    )
    created_at: datetime | None = Field(default=None, sa_column=_timestamp())
    updated_at: datetime | None = Field(default=None, sa_column=_timestamp(onupdate=True))
