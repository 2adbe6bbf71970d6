from typing import Optional

from .base_model import BaseModel
from .fragments import DocumentFields


class GetDocument(BaseModel):
    document: Optional["GetDocumentDocument"]


GetDocumentDocument = DocumentFields
GetDocument.model_rebuild()
