from pydantic import Field

from .base_model import BaseModel
from .fragments import DocumentFields


class DocumentStatus(BaseModel):
    document_status: "DocumentStatusDocumentStatus" = Field(alias="documentStatus")


DocumentStatusDocumentStatus = DocumentFields
DocumentStatus.model_rebuild()
