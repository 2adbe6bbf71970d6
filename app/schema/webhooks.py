"""The `Webhook` and `WebhookDelivery` types and their input."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Self

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info

from app.db import models
from app.schema.descriptions import AFTER, FIRST, TOTAL_COUNT, describe_values
from app.schema.pagination import to_connection
from app.schema.users import parse_ids, rows_to_nodes
from app.services import webhooks as service

EVENT_NAMES = ", ".join(f"`{event}`" for event in service.EVENTS)

WebhookDeliveryStatus = describe_values(
    strawberry.enum(
        models.WebhookDeliveryStatus,
        name="WebhookDeliveryStatus",
        description="Where a delivery is: PENDING (sent or retried), then SUCCEEDED or FAILED.",
    ),
    PENDING="Not accepted yet: queued, being sent, or waiting for its next retry.",
    SUCCEEDED="The endpoint answered with a 2xx status.",
    FAILED="Every attempt failed (PALIAPI_WEBHOOK_RETRY_DELAYS_S); no more are made.",
)


@strawberry.type(
    name="WebhookDelivery",
    description=(
        "One event sent to one endpoint, with its attempts: the endpoint's delivery log. "
        "Every attempt carries the same `webhook-id` header (`eventId`)."
    ),
)
class WebhookDelivery(relay.Node):
    id: relay.NodeID[int]
    event_id: str = strawberry.field(
        description=(
            "The `webhook-id` header: one per event, the same on every attempt (and for every "
            "endpoint the event went to), so receivers can drop duplicates."
        )
    )
    event_type: str = strawberry.field(
        description=f"The event: {EVENT_NAMES}, or `{service.TEST_EVENT}` (from `testWebhook`)."
    )
    payload: JSON = strawberry.field(
        description="The JSON body sent: `type`, `timestamp` (ISO 8601) and `data`."
    )
    status: WebhookDeliveryStatus = strawberry.field(  # type: ignore[valid-type]
        description="PENDING until the endpoint accepts it (SUCCEEDED) or attempts run out."
    )
    attempts: int = strawberry.field(
        description="Attempts started so far (one cut short by a restart counts too)."
    )
    last_error: str | None = strawberry.field(
        description=(
            "Why the last failed attempt failed: the HTTP status and the start of the answer, "
            "a network error, or a refused address. Kept after a later success; null when no "
            "attempt failed."
        )
    )
    last_status_code: int | None = strawberry.field(
        description="The HTTP status of the last answer; null when none came."
    )
    next_attempt_at: datetime | None = strawberry.field(
        description="When the next retry is due; null unless one is waiting."
    )
    created_at: datetime = strawberry.field(description="When the event happened.")
    updated_at: datetime = strawberry.field(description="When the last attempt started or ended.")

    @classmethod
    def from_model(cls, row: models.WebhookDelivery) -> Self:
        return cls(
            id=row.id,  # type: ignore[arg-type]
            event_id=row.event_id,
            event_type=row.event_type,
            payload=row.payload,  # type: ignore[arg-type]
            status=row.status,
            attempts=row.attempts,
            last_error=row.last_error,
            last_status_code=row.last_status_code,
            next_attempt_at=row.next_attempt_at,
            created_at=row.created_at,  # type: ignore[arg-type]
            updated_at=row.updated_at,  # type: ignore[arg-type]
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        ids = parse_ids(node_ids)
        async with info.context.db.session() as session:
            rows = await service.owned_deliveries(
                session=session, owner_id=info.context.loaders.owner_id, delivery_ids=ids
            )
        by_id = {row.id: row for row in rows}
        return rows_to_nodes(cls, [by_id.get(i) for i in ids])


@strawberry.type(
    name="WebhookDeliveryConnection",
    description="A slice of an endpoint's deliveries, oldest first (a Relay connection).",
)
class WebhookDeliveryConnection(relay.Connection[WebhookDelivery]):
    total_count: int = strawberry.field(description=TOTAL_COUNT)


@strawberry.type(
    name="Webhook",
    description=(
        "An endpoint of yours that receives events as signed HTTP POSTs (Standard Webhooks: "
        "`webhook-id`, `webhook-timestamp`, `webhook-signature`), retried with backoff until "
        "it answers 2xx."
    ),
)
class Webhook(relay.Node):
    id: relay.NodeID[int]
    url: str = strawberry.field(description="Where events are POSTed.")
    events: list[str] = strawberry.field(description=f"The events it receives: of {EVENT_NAMES}.")
    secret: str | None = strawberry.field(
        description=(
            "The signing secret (`whsec_...`) to verify deliveries with: shown only in "
            "`createWebhook`'s answer, null everywhere else. Keep it then."
        )
    )
    created_at: datetime = strawberry.field(description="When it was created.")

    @classmethod
    def from_model(cls, row: models.Webhook, *, with_secret: bool = False) -> Self:
        return cls(
            id=row.id,  # type: ignore[arg-type]
            url=row.url,
            events=list(row.events),
            secret=row.secret if with_secret else None,
            created_at=row.created_at,  # type: ignore[arg-type]
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        ids = parse_ids(node_ids)
        async with info.context.db.session() as session:
            rows = await service.owned_webhooks(
                session=session, owner_id=info.context.loaders.owner_id, webhook_ids=ids
            )
        by_id = {row.id: row for row in rows}
        return rows_to_nodes(cls, [by_id.get(i) for i in ids])

    @strawberry.field(description="Its delivery log, oldest first.")  # type: ignore[untyped-decorator]
    async def deliveries(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> WebhookDeliveryConnection:
        async with info.context.db.session() as session:
            page = await service.list_deliveries(
                session=session,
                owner_id=info.context.loaders.owner_id,
                webhook_id=self.id,
                first=first,
                after=after,
            )
        return to_connection(WebhookDeliveryConnection, page, WebhookDelivery.from_model)


@strawberry.type(
    name="WebhookConnection", description="A slice of your webhooks (a Relay connection)."
)
class WebhookConnection(relay.Connection[Webhook]):
    total_count: int = strawberry.field(description=TOTAL_COUNT)


@strawberry.input(description="A new webhook endpoint.")
class CreateWebhookInput:
    url: str = strawberry.field(
        description=(
            "Where to POST events: an http(s) URL whose host resolves to public addresses only, "
            "on an allowed port (80 and 443 by default: PALIAPI_URL_ALLOWED_PORTS), checked "
            "again at every delivery; else BAD_USER_INPUT."
        )
    )
    events: list[str] = strawberry.field(
        description=f"The events to receive, at least one of {EVENT_NAMES}; others: BAD_USER_INPUT."
    )
    secret: str | None = strawberry.field(
        default=None,
        description=(
            "Your own signing secret: `whsec_` and the base64 of 24 to 64 random bytes. "
            "Omitted: one is generated, and returned once as `Webhook.secret`."
        ),
    )
