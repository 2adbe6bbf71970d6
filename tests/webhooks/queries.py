"""The GraphQL the webhook tests send, and a poll for a delivery log to settle."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from tests.conftest import Api

CREATE = """
mutation($input: CreateWebhookInput!) {
  createWebhook(input: $input) { id url events secret createdAt }
}"""
DELETE = "mutation($id: ID!) { deleteWebhook(id: $id) }"
TEST = "mutation($id: ID!) { testWebhook(id: $id) }"
LIST = "{ webhooks(first: 10) { totalCount edges { node { id url events secret } } } }"
NODE = "query($id: ID!) { node(id: $id) { id ... on Webhook { url secret } } }"
DELIVERIES = """
query($id: ID!) {
  node(id: $id) {
    ... on Webhook {
      deliveries(first: 50) {
        totalCount
        edges { node { id eventId eventType payload status attempts lastError lastStatusCode
                       nextAttemptAt createdAt updatedAt } }
      }
    }
  }
}"""
ALL_EVENTS = ["document.ready", "document.failed", "document.deleted", "collection.deleted"]


def create_webhook(
    api: Api, url: str, events: list[str] | None = None, **extra: Any
) -> dict[str, Any]:
    variables = {"input": {"url": url, "events": events or ALL_EVENTS, **extra}}
    webhook: dict[str, Any] = api.data(CREATE, variables)["createWebhook"]
    return webhook


def deliveries(api: Api, webhook_id: str) -> list[dict[str, Any]]:
    node = api.data(DELIVERIES, {"id": webhook_id})["node"]
    return [edge["node"] for edge in node["deliveries"]["edges"]]


def wait_for_deliveries(
    api: Api,
    webhook_id: str,
    done: Callable[[list[dict[str, Any]]], bool],
    timeout: float = 30,
) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        found = deliveries(api, webhook_id)
        if done(found):
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"deliveries did not settle: {found}")
        time.sleep(0.1)


def settled(found: list[dict[str, Any]]) -> bool:
    return bool(found) and all(d["status"] != "PENDING" for d in found)
