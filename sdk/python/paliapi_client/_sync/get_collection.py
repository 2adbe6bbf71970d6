from typing import Optional

from .base_model import BaseModel
from .fragments import CollectionFields


class GetCollection(BaseModel):
    collection: Optional["GetCollectionCollection"]


GetCollectionCollection = CollectionFields
GetCollection.model_rebuild()
