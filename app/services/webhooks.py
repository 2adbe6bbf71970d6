"""Webhooks: a user's endpoints, and the events recorded for them.

An event is recorded in the transaction of the change that causes it (`emit_*`): one delivery
row per subscribed endpoint, and the queue job that sends it, commit together with the
change or not at all. No event is lost between a commit and an enqueue, and none is sent for
a change that rolled back. `app/services/webhook_delivery.py` sends them.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.db.models import Collection, Document, User, Webhook, WebhookDelivery
from app.errors import bad_input, not_found
from app.ingest.fetch import check_url
from app.jobs import enqueue_deliveries
from app.services import outbound
from app.services.names import check_text_fields
from app.services.pagination import Slice, paginate

DOCUMENT_READY = "document.ready"
DOCUMENT_FAILED = "document.failed"
DOCUMENT_DELETED = "document.deleted"
COLLECTION_DELETED = "collection.deleted"
EVENTS = (DOCUMENT_READY, DOCUMENT_FAILED, DOCUMENT_DELETED, COLLECTION_DELETED)
# Sent by `testWebhook` to one endpoint, whatever it subscribes to.
TEST_EVENT = "webhook.test"

SECRET_PREFIX = "whsec_"  # noqa: S105  (the Standard Webhooks prefix, not a secret)
SECRET_BYTES = 32
MIN_SECRET_BYTES, MAX_SECRET_BYTES = 24, 64
MAX_URL = 2000
MAX_WEBHOOKS = 25  # per user: every event fans out to each of them


def global_id(type_name: str, row_id: int) -> str:
    """The object's `id` as the GraphQL API shows it (Relay's base64 of `Type:id`)."""
    return base64.b64encode(f"{type_name}:{row_id}".encode()).decode()


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def check_secret(secret: str) -> str:
    """A Standard Webhooks secret: `whsec_` and the base64 of 24 to 64 random bytes."""
    try:
        key = base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if not secret.startswith(SECRET_PREFIX) or not MIN_SECRET_BYTES <= len(key) <= MAX_SECRET_BYTES:
        raise bad_input(
            f"`secret` must be `{SECRET_PREFIX}` followed by the base64 of {MIN_SECRET_BYTES} to "
            f"{MAX_SECRET_BYTES} random bytes; omit it and one is generated for you.",
            field="secret",
        )
    return secret


def check_events(events: list[str]) -> list[str]:
    unknown = [event for event in events if event not in EVENTS]
    if unknown or not events:
        raise bad_input(
            f"`events` must name at least one of {', '.join(EVENTS)}"
            + (f"; unknown: {', '.join(repr(e) for e in unknown)}." if unknown else "."),
            field="events",
        )
    return list(dict.fromkeys(events))


async def check_endpoint(url: str) -> str:
    """An http(s) URL whose host resolves only to addresses the guard allows, else
    BAD_USER_INPUT. Checked again at every delivery: DNS answers change."""
    check_text_fields(url=url)
    if len(url) > MAX_URL:
        raise bad_input(f"`url` is longer than {MAX_URL} characters.", field="url")
    await check_url(url, outbound.url_policy())
    return url


async def create_webhook(
    *, session: AsyncSession, owner: User, url: str, events: list[str], secret: str | None
) -> Webhook:
    """Create an endpoint; the returned row holds the secret (the only time it is shown)."""
    subscribed = check_events(events)
    signing_secret = new_secret() if secret is None else check_secret(secret)
    await check_endpoint(url)
    count = await session.scalar(
        select(func.count()).select_from(Webhook).where(col(Webhook.owner_id) == owner.id)
    )
    if (count or 0) >= MAX_WEBHOOKS:
        raise bad_input(f"You have {MAX_WEBHOOKS} webhooks already; delete one first.")
    webhook = Webhook(
        owner_id=owner.id,  # type: ignore[arg-type]
        url=url,
        events=subscribed,
        secret=signing_secret,
    )
    session.add(webhook)
    await session.flush()
    await session.refresh(webhook)
    return webhook


async def get_webhook(*, session: AsyncSession, owner: User, webhook_id: int) -> Webhook:
    webhook: Webhook | None = await session.scalar(
        select(Webhook).where(col(Webhook.id) == webhook_id, col(Webhook.owner_id) == owner.id)
    )
    if webhook is None:
        raise not_found("Webhook", global_id("Webhook", webhook_id))
    return webhook


async def owned_webhooks(
    *, session: AsyncSession, owner_id: int, webhook_ids: list[int]
) -> list[Webhook]:
    return list(
        await session.scalars(
            select(Webhook).where(
                col(Webhook.id).in_(webhook_ids), col(Webhook.owner_id) == owner_id
            )
        )
    )


async def list_webhooks(
    *, session: AsyncSession, owner: User, first: int | None, after: str | None
) -> Slice[Webhook]:
    stmt = select(Webhook).where(col(Webhook.owner_id) == owner.id)
    return await paginate(session, stmt, Webhook.id, first=first, after=after)


async def delete_webhook(*, session: AsyncSession, owner: User, webhook_id: int) -> None:
    """Delete an endpoint with its delivery log; queued deliveries find nothing to send."""
    await get_webhook(session=session, owner=owner, webhook_id=webhook_id)
    await session.execute(
        delete(Webhook).where(col(Webhook.owner_id) == owner.id, col(Webhook.id) == webhook_id)
    )


async def list_deliveries(
    *, session: AsyncSession, owner_id: int, webhook_id: int, first: int | None, after: str | None
) -> Slice[WebhookDelivery]:
    stmt = select(WebhookDelivery).where(
        col(WebhookDelivery.webhook_id) == webhook_id, col(WebhookDelivery.owner_id) == owner_id
    )
    return await paginate(session, stmt, WebhookDelivery.id, first=first, after=after)


async def owned_deliveries(
    *, session: AsyncSession, owner_id: int, delivery_ids: list[int]
) -> list[WebhookDelivery]:
    return list(
        await session.scalars(
            select(WebhookDelivery).where(
                col(WebhookDelivery.id).in_(delivery_ids),
                col(WebhookDelivery.owner_id) == owner_id,
            )
        )
    )


def envelope(event: str, data: dict[str, Any]) -> dict[str, Any]:
    """The body of every delivery, as the Standard Webhooks spec recommends."""
    return {"type": event, "timestamp": datetime.now(UTC).isoformat(), "data": data}


async def _record(
    session: AsyncSession, owner_id: int, webhooks: list[Webhook], payload: dict[str, Any]
) -> list[WebhookDelivery]:
    # One id per event, shared by its endpoints and kept across retries: the `webhook-id`.
    event_id = f"msg_{uuid.uuid4().hex}"
    rows = [
        WebhookDelivery(
            owner_id=owner_id,
            webhook_id=webhook.id,  # type: ignore[arg-type]
            event_id=event_id,
            event_type=payload["type"],
            payload=payload,
        )
        for webhook in webhooks
    ]
    session.add_all(rows)
    await session.flush()
    await enqueue_deliveries(session, [(owner_id, row.id) for row in rows])  # type: ignore[misc]
    return rows


async def _subscribers(session: AsyncSession, owner_id: int, event: str) -> list[Webhook]:
    return list(
        await session.scalars(
            select(Webhook)
            .where(col(Webhook.owner_id) == owner_id, col(Webhook.events).contains([event]))
            .order_by(col(Webhook.id))
        )
    )


def document_data(document: Document, collection: Collection | None) -> dict[str, Any]:
    return {
        "id": global_id("Document", document.id),  # type: ignore[arg-type]
        "name": document.name,
        "collection": {
            "id": global_id("Collection", document.collection_id),
            "name": collection.name if collection is not None else None,
        },
        "status": document.status.value,
        "error": document.error,
        "pageCount": document.page_count,
        "mimeType": document.mime_type,
        "sizeBytes": document.size_bytes,
        "contentSha256": document.content_sha256,
        "sourceUrl": document.source_url,
        "metadata": document.meta,
    }


async def emit_document_event(session: AsyncSession, event: str, document: Document) -> None:
    """`event` about a document as it stands in the caller's transaction (before a delete)."""
    webhooks = await _subscribers(session, document.owner_id, event)
    if webhooks:
        collection = await session.get(Collection, (document.owner_id, document.collection_id))
        data = document_data(document, collection)
        await _record(session, document.owner_id, webhooks, envelope(event, data))


async def emit_collection_deleted(session: AsyncSession, collection: Collection) -> None:
    """`collection.deleted`, before the delete; its documents get no events of their own."""
    webhooks = await _subscribers(session, collection.owner_id, COLLECTION_DELETED)
    if not webhooks:
        return
    documents = await session.scalar(
        select(func.count())
        .select_from(Document)
        .where(
            col(Document.owner_id) == collection.owner_id,
            col(Document.collection_id) == collection.id,
        )
    )
    data = {
        "id": global_id("Collection", collection.id),  # type: ignore[arg-type]
        "name": collection.name,
        "metadata": collection.meta,
        "documentCount": documents or 0,
    }
    await _record(session, collection.owner_id, webhooks, envelope(COLLECTION_DELETED, data))


async def send_test(*, session: AsyncSession, owner: User, webhook_id: int) -> None:
    """Queue a `webhook.test` event to one endpoint."""
    webhook = await get_webhook(session=session, owner=owner, webhook_id=webhook_id)
    data = {
        "webhook": {"id": global_id("Webhook", webhook_id), "url": webhook.url},
        "message": "A test event from testWebhook.",
    }
    await _record(session, webhook.owner_id, [webhook], envelope(TEST_EVENT, data))
