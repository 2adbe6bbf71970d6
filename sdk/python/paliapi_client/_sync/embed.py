from pydantic import Field

from .base_model import BaseModel


class Embed(BaseModel):
    embed: list["EmbedEmbed"]


class EmbedEmbed(BaseModel):
    tokens: int
    dim: int
    dtype: str
    base_64: str = Field(alias="base64")


Embed.model_rebuild()
