from pydantic import Field

from .base_model import BaseModel
from .fragments import CollectionFields, PageInfoFields


class ListCollections(BaseModel):
    collections: "ListCollectionsCollections"


class ListCollectionsCollections(BaseModel):
    total_count: int = Field(alias="totalCount")
    page_info: "ListCollectionsCollectionsPageInfo" = Field(alias="pageInfo")
    edges: list["ListCollectionsCollectionsEdges"]


ListCollectionsCollectionsPageInfo = PageInfoFields


class ListCollectionsCollectionsEdges(BaseModel):
    node: "ListCollectionsCollectionsEdgesNode"


ListCollectionsCollectionsEdgesNode = CollectionFields
ListCollections.model_rebuild()
ListCollectionsCollections.model_rebuild()
ListCollectionsCollectionsEdges.model_rebuild()
