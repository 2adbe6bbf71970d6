from pydantic import Field

from .base_model import BaseModel
from .fragments import DocumentFields


class UploadDocument(BaseModel):
    upload_document: "UploadDocumentUploadDocument" = Field(alias="uploadDocument")


UploadDocumentUploadDocument = DocumentFields
UploadDocument.model_rebuild()
