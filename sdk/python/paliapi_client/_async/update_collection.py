from pydantic import Field

from .base_model import BaseModel
from .fragments import CollectionFields


class UpdateCollection(BaseModel):
    update_collection: "UpdateCollectionUpdateCollection" = Field(
        alias="updateCollection"
    )


UpdateCollectionUpdateCollection = CollectionFields
UpdateCollection.model_rebuild()
