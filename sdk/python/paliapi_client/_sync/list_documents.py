from pydantic import Field

from .base_model import BaseModel
from .fragments import DocumentFields, PageInfoFields


class ListDocuments(BaseModel):
    documents: "ListDocumentsDocuments"


class ListDocumentsDocuments(BaseModel):
    total_count: int = Field(alias="totalCount")
    page_info: "ListDocumentsDocumentsPageInfo" = Field(alias="pageInfo")
    edges: list["ListDocumentsDocumentsEdges"]


ListDocumentsDocumentsPageInfo = PageInfoFields


class ListDocumentsDocumentsEdges(BaseModel):
    node: "ListDocumentsDocumentsEdgesNode"


ListDocumentsDocumentsEdgesNode = DocumentFields
ListDocuments.model_rebuild()
ListDocumentsDocuments.model_rebuild()
ListDocumentsDocumentsEdges.model_rebuild()
