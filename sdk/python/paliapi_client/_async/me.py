from datetime import datetime

from pydantic import Field

from .base_model import BaseModel


class Me(BaseModel):
    me: "MeMe"


class MeMe(BaseModel):
    id: str
    name: str
    is_admin: bool = Field(alias="isAdmin")
    created_at: datetime = Field(alias="createdAt")


Me.model_rebuild()
