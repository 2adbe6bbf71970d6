"""CORS from PALIAPI_CORS_ORIGINS: a second origin may call the API (preflights for the
multipart CSRF header and Authorization included), others may not; none by default."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Origin, Subprotocol

from app.db.engine import Database
from app.main import create_app
from app.settings import settings
from tests.conftest import make_user, serve_in_thread

APP = "http://app.example.test:5173"
OTHER = "http://evil.example.test"


@pytest.fixture(scope="module")
def cors_server(database_url: str) -> Iterator[str]:
    """The API with one allowed origin (no worker, no model: CORS needs neither)."""
    # Both settings are read while the app is built and started: restored before any other
    # server (the session's) can be built with them.
    with contextlib.ExitStack() as running:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(settings, "cors_origins", (APP,))
            patch.setattr(settings, "embeddings_preload", False)
            url = running.enter_context(serve_in_thread(create_app(database_url, worker=False)))
        yield url


def _preflight(url: str, origin: str, headers: str) -> httpx.Response:
    return httpx.options(
        f"{url}/graphql",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": headers,
        },
    )


def test_the_preflight_of_a_multipart_upload_is_allowed(cors_server: str) -> None:
    for header in ("apollo-require-preflight", "x-paliapi-client"):
        response = _preflight(cors_server, APP, f"authorization,{header}")
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == APP
        allowed = response.headers["access-control-allow-headers"].lower()
        assert "authorization" in allowed and header in allowed
        assert "POST" in response.headers["access-control-allow-methods"]


def test_another_origin_is_refused(cors_server: str) -> None:
    response = _preflight(cors_server, OTHER, "authorization,content-type")
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers
    simple = httpx.post(
        f"{cors_server}/graphql", json={"query": "{ me { name } }"}, headers={"Origin": OTHER}
    )
    assert "access-control-allow-origin" not in simple.headers


async def test_requests_from_the_allowed_origin_carry_cors_headers(
    cors_server: str, db: Database
) -> None:
    _, token = await make_user(db, "ada")
    auth = {"Authorization": f"Bearer {token}", "Origin": APP}
    response = httpx.post(f"{cors_server}/graphql", json={"query": "{ me { name } }"}, headers=auth)
    assert response.json() == {"data": {"me": {"name": "ada"}}}
    assert response.headers["access-control-allow-origin"] == APP
    assert "x-request-id" in response.headers["access-control-expose-headers"].lower()
    # A refusal (no CSRF header on multipart) is readable by the app too.
    refused = httpx.post(
        f"{cors_server}/graphql",
        headers=auth,
        files={"operations": (None, '{"query": "{ me { name } }"}'), "map": (None, "{}")},
    )
    assert refused.status_code == 400
    assert refused.headers["access-control-allow-origin"] == APP


def test_subscriptions_accept_the_allowed_origin_only(cors_server: str) -> None:
    url = cors_server.replace("http://", "ws://") + "/graphql"
    protocols = [Subprotocol("graphql-transport-ws")]
    with connect(url, subprotocols=protocols, origin=Origin(APP)) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
    with pytest.raises(InvalidStatus):
        connect(url, subprotocols=protocols, origin=Origin(OTHER))


def test_no_cors_headers_by_default(server: str) -> None:
    """PALIAPI_CORS_ORIGINS empty (the default): same origin only."""
    response = _preflight(server, APP, "authorization")
    assert "access-control-allow-origin" not in response.headers
