from pydantic import Field

from .base_model import BaseModel
from .fragments import DocumentFields


class RetryDocument(BaseModel):
    retry_document: "RetryDocumentRetryDocument" = Field(alias="retryDocument")


RetryDocumentRetryDocument = DocumentFields
RetryDocument.model_rebuild()
