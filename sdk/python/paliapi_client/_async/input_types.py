from typing import Any, Optional

from pydantic import Field

from .base_model import BaseModel, Upload
from .enums import SearchMode


class CreateCollectionInput(BaseModel):
    name: str
    metadata: Optional[Any] = None
    model: Optional[str] = None


class SearchInput(BaseModel):
    query: Optional[str] = None
    "A text query."
    image: Optional[Upload] = None
    "An image query (multipart)."
    image_base_64: Optional[str] = Field(alias="imageBase64", default=None)
    "An image query, base64."
    collection_name: Optional[str] = Field(alias="collectionName", default=None)
    "Search one collection; none: all of yours."
    collection_filter: Optional[Any] = Field(alias="collectionFilter", default=None)
    "On collections' metadata."
    document_filter: Optional[Any] = Field(alias="documentFilter", default=None)
    "On documents' metadata."
    top_k: int = Field(alias="topK", default=3)
    mode: SearchMode = SearchMode.VISUAL
    exact: bool = False
    "Exhaustive exact MaxSim (for evals)."


class UpdateCollectionInput(BaseModel):
    name: str
    new_name: Optional[str] = Field(alias="newName", default=None)
    metadata: Optional[Any] = None


class UpdateDocumentInput(BaseModel):
    collection_name: str = Field(alias="collectionName")
    name: str
    new_name: Optional[str] = Field(alias="newName", default=None)
    metadata: Optional[Any] = None
    new_collection_name: Optional[str] = Field(alias="newCollectionName", default=None)


class UploadDocumentInput(BaseModel):
    collection_name: str = Field(alias="collectionName")
    name: str
    metadata: Optional[Any] = None
    file: Optional[Upload] = None
    "A multipart upload."
    url: Optional[str] = None
    "An http(s) URL to fetch."
    base_64: Optional[str] = Field(alias="base64", default=None)
    "The file, base64-encoded."
    wait: bool = False
    "Return once READY or FAILED."
    overwrite: bool = False
    "Replace a same-named document."
