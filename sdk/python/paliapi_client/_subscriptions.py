"""The generated asyncio client, with errors in subscription events raised, not dropped."""

from __future__ import annotations

import json
from typing import Any

from websockets import ClientConnection
from websockets.typing import Data

from ._async import AsyncGeneratedClient
from ._async.async_base_client import GraphQLTransportWSMessageType
from ._async.exceptions import GraphQLClientGraphQLMultiError


class SubscriptionClient(AsyncGeneratedClient):
    """`AsyncGeneratedClient` whose subscriptions raise the errors the server sends.

    The generated base client keeps only `payload["data"]` of a `next` message, so a
    subscription that the server ends with an error (`{"data": null, "errors": [...]}`,
    then `complete`: a missing document's `NOT_FOUND`, for one) just stopped. Here such a
    message raises `GraphQLClientGraphQLMultiError`, as a query's errors do, which the
    clients turn into the typed exception for its `extensions.code`. (`error` messages, the
    protocol's answer to an invalid subscription, already raise in the base client.)

    This is a subclass rather than an edit to `_async/`, which ariadne-codegen regenerates.
    """

    async def _handle_ws_message(
        self,
        message: Data,
        websocket: ClientConnection,
        expected_type: GraphQLTransportWSMessageType | None = None,
    ) -> dict[str, Any] | None:
        errors = _event_errors(message)
        if errors:
            raise GraphQLClientGraphQLMultiError.from_errors_dicts(errors_dicts=errors)
        return await super()._handle_ws_message(message, websocket, expected_type)


def _event_errors(message: Data) -> list[dict[str, Any]]:
    """The `errors` of a `next` message (empty for any other message, or a malformed one)."""
    try:
        parsed = json.loads(message)
    except (TypeError, ValueError):
        return []  # the base client reports malformed messages
    if (
        not isinstance(parsed, dict)
        or parsed.get("type") != GraphQLTransportWSMessageType.NEXT.value
    ):
        return []
    payload = parsed.get("payload")
    errors = payload.get("errors") if isinstance(payload, dict) else None
    if not isinstance(errors, list):
        return []
    return [error if isinstance(error, dict) else {"message": str(error)} for error in errors]
