from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import PageInfoFields, WebhookFields


class ListWebhooks(BaseModel):
    webhooks: "ListWebhooksWebhooks"


class ListWebhooksWebhooks(BaseModel):
    total_count: int = Field(alias="totalCount")
    page_info: "ListWebhooksWebhooksPageInfo" = Field(alias="pageInfo")
    edges: list["ListWebhooksWebhooksEdges"]


ListWebhooksWebhooksPageInfo = PageInfoFields


class ListWebhooksWebhooksEdges(BaseModel):
    node: "ListWebhooksWebhooksEdgesNode"


class ListWebhooksWebhooksEdgesNode(WebhookFields):
    secret: Optional[str]


ListWebhooks.model_rebuild()
ListWebhooksWebhooks.model_rebuild()
ListWebhooksWebhooksEdges.model_rebuild()
