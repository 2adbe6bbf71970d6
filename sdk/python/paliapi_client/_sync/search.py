from typing import Any, Optional

from pydantic import Field

from .base_model import BaseModel


class Search(BaseModel):
    search: "SearchSearch"


class SearchSearch(BaseModel):
    query: Optional[str]
    took_ms: float = Field(alias="tookMs")
    results: list["SearchSearchResults"]


class SearchSearchResults(BaseModel):
    rank: int
    score: float
    page: "SearchSearchResultsPage"
    document: "SearchSearchResultsDocument"
    collection: "SearchSearchResultsCollection"


class SearchSearchResultsPage(BaseModel):
    id: str
    number: int
    width: int
    height: int
    text: Optional[str]
    image_url: str = Field(alias="imageUrl")


class SearchSearchResultsDocument(BaseModel):
    id: str
    name: str
    metadata: Any


class SearchSearchResultsCollection(BaseModel):
    name: str


Search.model_rebuild()
SearchSearch.model_rebuild()
SearchSearchResults.model_rebuild()
