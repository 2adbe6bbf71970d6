from datetime import datetime
from typing import Any, Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import DocumentStatus, WebhookDeliveryStatus


class CollectionFields(BaseModel):
    id: str
    name: str
    metadata: Any
    model: str
    created_at: datetime = Field(alias="createdAt")
    updated_at: datetime = Field(alias="updatedAt")
    document_count: int = Field(alias="documentCount")
    page_count: int = Field(alias="pageCount")


class DocumentFields(BaseModel):
    id: str
    name: str
    metadata: Any
    status: DocumentStatus
    progress: float
    error: Optional[str]
    mime_type: Optional[str] = Field(alias="mimeType")
    page_count: int = Field(alias="pageCount")
    size_bytes: Optional[int] = Field(alias="sizeBytes")
    content_sha_256: Optional[str] = Field(alias="contentSha256")
    source_url: Optional[str] = Field(alias="sourceUrl")
    created_at: datetime = Field(alias="createdAt")
    updated_at: datetime = Field(alias="updatedAt")
    collection: "DocumentFieldsCollection"


class DocumentFieldsCollection(BaseModel):
    name: str


class PageInfoFields(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


class WebhookDeliveryFields(BaseModel):
    id: str
    event_id: str = Field(alias="eventId")
    event_type: str = Field(alias="eventType")
    payload: Any
    status: WebhookDeliveryStatus
    attempts: int
    last_error: Optional[str] = Field(alias="lastError")
    last_status_code: Optional[int] = Field(alias="lastStatusCode")
    next_attempt_at: Optional[datetime] = Field(alias="nextAttemptAt")
    created_at: datetime = Field(alias="createdAt")
    updated_at: datetime = Field(alias="updatedAt")


class WebhookFields(BaseModel):
    id: str
    url: str
    events: list[str]
    created_at: datetime = Field(alias="createdAt")


CollectionFields.model_rebuild()
DocumentFields.model_rebuild()
PageInfoFields.model_rebuild()
WebhookDeliveryFields.model_rebuild()
WebhookFields.model_rebuild()
