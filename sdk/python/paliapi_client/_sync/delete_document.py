from pydantic import Field

from .base_model import BaseModel


class DeleteDocument(BaseModel):
    delete_document: bool = Field(alias="deleteDocument")
