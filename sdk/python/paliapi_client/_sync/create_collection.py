from pydantic import Field

from .base_model import BaseModel
from .fragments import CollectionFields


class CreateCollection(BaseModel):
    create_collection: "CreateCollectionCreateCollection" = Field(
        alias="createCollection"
    )


CreateCollectionCreateCollection = CollectionFields
CreateCollection.model_rebuild()
