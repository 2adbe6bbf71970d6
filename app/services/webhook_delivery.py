"""Sending webhook deliveries: signed per Standard Webhooks, retried with backoff.

At least once: an attempt is counted (committed) before the request goes out, and a worker
that dies mid-request leaves its job to be picked again once the heartbeat goes stale, so
the endpoint may see an event twice, always under the same `webhook-id`. The timestamp and
signature are made afresh for each attempt (the spec signs `id.timestamp.body`).
"""

from __future__ import annotations

import json
import logging
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select
from sqlmodel import col
from standardwebhooks import Webhook as Signer

from app.db.engine import Database
from app.db.models import Webhook, WebhookDelivery, WebhookDeliveryStatus
from app.errors import PaliError
from app.ingest.fetch import check_url, new_client
from app.jobs import enqueue_deliveries
from app.metrics import WEBHOOK_DELIVERIES
from app.services import outbound
from app.settings import settings

log = logging.getLogger(__name__)
USER_AGENT = "PaliAPI-Webhooks/1"
ERROR_BODY_CHARS = 200  # of a refusing endpoint's answer, kept in `lastError`


def retry_delay(attempts: int) -> timedelta | None:
    """The wait after the `attempts`-th failed attempt; None once every retry is spent."""
    delays = settings.webhook_retry_delays_s
    if attempts > len(delays):
        return None
    # Jitter: endpoints that failed together (an outage) are not all retried at once.
    return timedelta(seconds=delays[attempts - 1] * random.uniform(0.8, 1.2))  # noqa: S311


@dataclass(frozen=True)
class Attempt:
    """What one attempt is to send, read when it started."""

    url: str
    secret: str
    event_id: str
    body: str
    attempts: int


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None
    error: str | None


@dataclass
class Deliverer:
    db: Database

    async def deliver(self, owner_id: int, delivery_id: int) -> timedelta | None:
        """One attempt at a delivery; how long to wait before the next one, or None when
        there is none to make (sent, out of attempts, or the endpoint was deleted)."""
        attempt = await self._start(owner_id, delivery_id)
        if attempt is None:
            return None
        outcome = await send(attempt)
        return await self._finish(owner_id, delivery_id, attempt, outcome)

    async def _start(self, owner_id: int, delivery_id: int) -> Attempt | None:
        async with self.db.transaction() as session:
            row = (
                await session.execute(
                    select(WebhookDelivery, Webhook)
                    .join(
                        Webhook,
                        (col(Webhook.owner_id) == col(WebhookDelivery.owner_id))
                        & (col(Webhook.id) == col(WebhookDelivery.webhook_id)),
                    )
                    .where(
                        col(WebhookDelivery.owner_id) == owner_id,
                        col(WebhookDelivery.id) == delivery_id,
                    )
                    .with_for_update(of=WebhookDelivery)
                )
            ).one_or_none()
            if row is None:
                return None  # the endpoint was deleted, and its deliveries with it
            delivery, webhook = row
            if delivery.status is not WebhookDeliveryStatus.PENDING:
                return None  # a duplicate job, or one re-picked after it had finished
            delivery.attempts += 1
            delivery.next_attempt_at = None
            return Attempt(
                url=webhook.url,
                secret=webhook.secret,
                event_id=delivery.event_id,
                body=json.dumps(delivery.payload, separators=(",", ":")),
                attempts=delivery.attempts,
            )

    async def _finish(
        self, owner_id: int, delivery_id: int, attempt: Attempt, outcome: Outcome
    ) -> timedelta | None:
        retry_in = None if outcome.ok else retry_delay(attempt.attempts)
        if outcome.ok:
            status = WebhookDeliveryStatus.SUCCEEDED
        elif retry_in is None:
            status = WebhookDeliveryStatus.FAILED
        else:
            status = WebhookDeliveryStatus.PENDING
        async with self.db.transaction() as session:
            delivery = await session.get(
                WebhookDelivery, (owner_id, delivery_id), with_for_update=True
            )
            if delivery is None:
                return None
            delivery.status = status
            delivery.last_status_code = outcome.status_code
            if outcome.error is not None:  # kept after a success: what the retries were for
                delivery.last_error = outcome.error
            delivery.next_attempt_at = (
                datetime.now(UTC) + retry_in if retry_in is not None else None
            )
        WEBHOOK_DELIVERIES.labels(
            "succeeded" if outcome.ok else "failed" if retry_in is None else "retried"
        ).inc()
        if not outcome.ok:
            log.info(
                "webhook delivery %s attempt %d failed (%s)%s",
                delivery_id,
                attempt.attempts,
                outcome.error,
                f"; retrying in {retry_in.total_seconds():.1f} s" if retry_in else "; giving up",
            )
        return retry_in


async def send(attempt: Attempt) -> Outcome:
    """POST the signed body to the endpoint's checked address: no redirects, no proxies."""
    try:
        # Resolved and checked now, not only at creation: a name can come to point inside.
        target = await check_url(attempt.url, outbound.url_policy())
    except PaliError as refused:
        return Outcome(ok=False, status_code=None, error=refused.message)
    pinned, host, sni = target.pinned()
    now = datetime.now(UTC)
    headers = {
        **host,
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": attempt.event_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Signer(attempt.secret).sign(attempt.event_id, now, attempt.body),
    }
    try:
        async with (
            new_client(settings.webhook_timeout_s) as client,
            client.stream(
                "POST", pinned, content=attempt.body.encode(), headers=headers, extensions=sni
            ) as response,
        ):
            if response.is_success:
                return Outcome(ok=True, status_code=response.status_code, error=None)
            answer = await _start_of(response)
            return Outcome(
                ok=False,
                status_code=response.status_code,
                error=f"HTTP {response.status_code}" + (f": {answer}" if answer else ""),
            )
    except httpx.HTTPError as exc:
        return Outcome(ok=False, status_code=None, error=f"{type(exc).__name__}: {exc}".strip())


async def _start_of(response: httpx.Response) -> str:
    chunk = b""
    async for part in response.aiter_bytes():
        chunk += part
        if len(chunk) >= ERROR_BODY_CHARS:
            break
    return chunk[:ERROR_BODY_CHARS].decode(errors="replace").strip()


async def requeue_stranded_deliveries(db: Database) -> int:
    """Queue again every PENDING delivery (the dedupe key skips those whose job still exists).

    A job can vanish with its delivery unfinished: a handler bug ends it as an exception.
    """
    async with db.transaction() as session:
        pending = await session.execute(
            select(col(WebhookDelivery.owner_id), col(WebhookDelivery.id)).where(
                col(WebhookDelivery.status) == WebhookDeliveryStatus.PENDING
            )
        )
        deliveries = [(int(row[0]), int(row[1])) for row in pending]  # type: ignore[arg-type]
        await enqueue_deliveries(session, deliveries)
    return len(deliveries)
