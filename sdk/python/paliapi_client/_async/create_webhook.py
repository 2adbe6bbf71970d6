from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import WebhookFields


class CreateWebhook(BaseModel):
    create_webhook: "CreateWebhookCreateWebhook" = Field(alias="createWebhook")


class CreateWebhookCreateWebhook(WebhookFields):
    secret: Optional[str]


CreateWebhook.model_rebuild()
