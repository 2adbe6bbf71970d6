"""Resolvers for webhooks: a user's endpoints, their delivery logs, and test events."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.types import Info

from app.errors import not_found
from app.schema.pagination import to_connection
from app.schema.webhooks import CreateWebhookInput, Webhook, WebhookConnection
from app.services import webhooks as service


def webhook_id(id: strawberry.ID) -> int:
    """A `Webhook` node id as its row id: malformed is BAD_USER_INPUT (GlobalIDValueError),
    another type's id NOT_FOUND."""
    node = relay.GlobalID.from_id(id)
    if node.type_name != "Webhook" or not node.node_id.isdigit() or len(node.node_id) > 18:
        raise not_found("Webhook", id)  # 18 digits: within a BIGINT
    return int(node.node_id)


async def webhooks(
    info: Info, first: int | None = None, after: str | None = None
) -> WebhookConnection:
    async with info.context.db.session() as session:
        page = await service.list_webhooks(
            session=session, owner=info.context.owner, first=first, after=after
        )
    return to_connection(WebhookConnection, page, Webhook.from_model)


async def create_webhook(info: Info, input: CreateWebhookInput) -> Webhook:
    async with info.context.db.transaction() as session:
        row = await service.create_webhook(
            session=session,
            owner=info.context.owner,
            url=input.url,
            events=input.events,
            secret=input.secret,
        )
    return Webhook.from_model(row, with_secret=True)


async def delete_webhook(info: Info, id: strawberry.ID) -> bool:
    async with info.context.db.transaction() as session:
        await service.delete_webhook(
            session=session, owner=info.context.owner, webhook_id=webhook_id(id)
        )
    return True


async def send_test_event(info: Info, id: strawberry.ID) -> bool:
    async with info.context.db.transaction() as session:
        await service.send_test(
            session=session, owner=info.context.owner, webhook_id=webhook_id(id)
        )
    return True
