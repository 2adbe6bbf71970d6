from typing import Annotated, Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel
from .fragments import PageInfoFields, WebhookDeliveryFields


class WebhookDeliveries(BaseModel):
    node: Optional[
        Annotated[
            Union["WebhookDeliveriesNodeNode", "WebhookDeliveriesNodeWebhook"],
            Field(discriminator="typename__"),
        ]
    ]


class WebhookDeliveriesNodeNode(BaseModel):
    typename__: Literal[
        "Collection", "Document", "Node", "Page", "User", "WebhookDelivery"
    ] = Field(alias="__typename")


class WebhookDeliveriesNodeWebhook(BaseModel):
    typename__: Literal["Webhook"] = Field(alias="__typename")
    deliveries: "WebhookDeliveriesNodeWebhookDeliveries"


class WebhookDeliveriesNodeWebhookDeliveries(BaseModel):
    total_count: int = Field(alias="totalCount")
    page_info: "WebhookDeliveriesNodeWebhookDeliveriesPageInfo" = Field(
        alias="pageInfo"
    )
    edges: list["WebhookDeliveriesNodeWebhookDeliveriesEdges"]


WebhookDeliveriesNodeWebhookDeliveriesPageInfo = PageInfoFields


class WebhookDeliveriesNodeWebhookDeliveriesEdges(BaseModel):
    node: "WebhookDeliveriesNodeWebhookDeliveriesEdgesNode"


WebhookDeliveriesNodeWebhookDeliveriesEdgesNode = WebhookDeliveryFields
WebhookDeliveries.model_rebuild()
WebhookDeliveriesNodeWebhook.model_rebuild()
WebhookDeliveriesNodeWebhookDeliveries.model_rebuild()
WebhookDeliveriesNodeWebhookDeliveriesEdges.model_rebuild()
