"""Managing webhooks over GraphQL: the secret shown once, validation, the SSRF guard at
creation, and one user's endpoints invisible to another."""

from __future__ import annotations

import base64

import pytest

from tests.conftest import Api
from tests.webhooks.queries import (
    CREATE,
    DELETE,
    DELIVERIES,
    LIST,
    NODE,
    TEST,
    create_webhook,
)

PUBLIC_URL = "https://93.184.216.34/hooks"  # a literal public address: no DNS needed


def test_the_secret_is_shown_once(alice: Api) -> None:
    created = create_webhook(alice, PUBLIC_URL, ["document.ready", "document.ready"])
    assert created["events"] == ["document.ready"]  # duplicates dropped
    assert created["secret"].startswith("whsec_")
    assert len(base64.b64decode(created["secret"].removeprefix("whsec_"))) == 32
    listed = alice.data(LIST)["webhooks"]
    assert listed["totalCount"] == 1
    assert listed["edges"][0]["node"] == {
        "id": created["id"],
        "url": PUBLIC_URL,
        "events": ["document.ready"],
        "secret": None,
    }
    assert alice.data(NODE, {"id": created["id"]})["node"]["secret"] is None

    own = "whsec_" + base64.b64encode(b"k" * 24).decode()
    assert create_webhook(alice, PUBLIC_URL, secret=own)["secret"] == own


@pytest.mark.parametrize(
    ("url", "events", "secret", "message"),
    [
        (PUBLIC_URL, ["document.created"], None, "unknown: 'document.created'"),
        (PUBLIC_URL, [], None, "at least one of"),
        (PUBLIC_URL, ["webhook.test"], None, "unknown: 'webhook.test'"),
        (PUBLIC_URL, ["document.ready"], "hunter2", "`secret` must be `whsec_`"),
        (
            PUBLIC_URL,
            ["document.ready"],
            "whsec_" + base64.b64encode(b"k" * 8).decode(),
            "24 to 64",
        ),
        ("ftp://93.184.216.34/hooks", ["document.ready"], None, "not an http(s) URL"),
        ("http://127.0.0.1/hooks", ["document.ready"], None, "non-public address (127.0.0.1)"),
        ("http://localhost/hooks", ["document.ready"], None, "non-public address"),
        ("http://10.1.2.3/hooks", ["document.ready"], None, "non-public address (10.1.2.3)"),
        ("http://[::1]/hooks", ["document.ready"], None, "non-public address (::1)"),
        ("http://169.254.169.254/latest", ["document.ready"], None, "non-public address"),
        ("http://93.184.216.34:6379/", ["document.ready"], None, "uses port 6379"),
        ("http://[x/hooks", ["document.ready"], None, "not a valid URL"),
    ],
)
def test_bad_input_is_refused(
    alice: Api, url: str, events: list[str], secret: str | None, message: str
) -> None:
    error = alice.error(CREATE, {"input": {"url": url, "events": events, "secret": secret}})
    assert error["code"] == "BAD_USER_INPUT", error
    assert message in error["message"], error
    assert alice.data(LIST)["webhooks"]["totalCount"] == 0


def test_another_users_webhook_is_not_found(alice: Api, bob: Api) -> None:
    webhook = create_webhook(alice, PUBLIC_URL)
    assert bob.data(LIST)["webhooks"]["totalCount"] == 0
    assert bob.data(NODE, {"id": webhook["id"]})["node"] is None
    assert bob.data(DELIVERIES, {"id": webhook["id"]})["node"] is None
    for mutation in (DELETE, TEST):
        error = bob.error(mutation, {"id": webhook["id"]})
        assert error["code"] == "NOT_FOUND", error
    # Still there, with no test event queued by bob.
    assert alice.data(LIST)["webhooks"]["totalCount"] == 1
    assert alice.data(DELIVERIES, {"id": webhook["id"]})["node"]["deliveries"]["totalCount"] == 0


def test_delete_and_bad_ids(alice: Api) -> None:
    webhook = create_webhook(alice, PUBLIC_URL)
    assert alice.data(DELETE, {"id": webhook["id"]}) == {"deleteWebhook": True}
    assert alice.data(LIST)["webhooks"]["totalCount"] == 0
    assert alice.error(DELETE, {"id": webhook["id"]})["code"] == "NOT_FOUND"
    document_id = base64.b64encode(b"Document:1").decode()
    assert alice.error(TEST, {"id": document_id})["code"] == "NOT_FOUND"
    assert alice.error(TEST, {"id": "not-an-id"})["code"] == "BAD_USER_INPUT"
    huge = base64.b64encode(b"Webhook:" + b"9" * 30).decode()
    assert alice.error(DELETE, {"id": huge})["code"] == "NOT_FOUND"


def test_webhooks_need_a_token(http: object) -> None:
    anonymous = Api(http, None)  # type: ignore[arg-type]
    assert anonymous.error(LIST)["code"] == "UNAUTHENTICATED"
    error = anonymous.error(CREATE, {"input": {"url": PUBLIC_URL, "events": ["document.ready"]}})
    assert error["code"] == "UNAUTHENTICATED"
