from pydantic import Field

from .base_model import BaseModel
from .fragments import DocumentFields


class UpdateDocument(BaseModel):
    update_document: "UpdateDocumentUpdateDocument" = Field(alias="updateDocument")


UpdateDocumentUpdateDocument = DocumentFields
UpdateDocument.model_rebuild()
