"""The eval's GraphQL client: errors are raised, never retried, except RATE_LIMITED refusals."""

from __future__ import annotations

import pytest

from app.evals.client import ServiceClient, ServiceError
from app.settings import settings
from tests.conftest import _free_port


def test_rate_limited_requests_wait_out_retry_after_and_are_counted(
    server: str, eval_token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "rate_limit_search_burst", 1)
    monkeypatch.setattr(settings, "rate_limit_search_per_s", 2.0)
    with ServiceClient(server, eval_token) as client:
        client.create_collection("limits", {})
        for _ in range(3):
            answer = client.search(
                "anything", collection="limits", mode="TEXT", exact=False, top_k=3
            )
            assert answer.hits == []
        assert client.rate_limited_waits >= 1


def test_errors_carry_their_code(server: str, eval_token: str) -> None:
    with ServiceClient(server, "pali_wrong") as client, pytest.raises(ServiceError) as denied:
        client.me()
    assert denied.value.code == "UNAUTHENTICATED"
    with ServiceClient(server, eval_token) as client, pytest.raises(ServiceError) as missing:
        client.search("x", collection="nope", mode="TEXT", exact=False, top_k=3)
    assert missing.value.code == "NOT_FOUND"
    with ServiceClient(f"http://127.0.0.1:{_free_port()}", "t") as client:
        with pytest.raises(ServiceError, match="CONNECTION_ERROR"):
            client.me()
        assert "error" in client.health()
