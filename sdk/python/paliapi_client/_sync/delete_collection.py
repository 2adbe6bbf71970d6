from pydantic import Field

from .base_model import BaseModel


class DeleteCollection(BaseModel):
    delete_collection: bool = Field(alias="deleteCollection")
