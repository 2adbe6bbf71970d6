"""Every client-caused error carries a stable code; bugs are masked; limits hold."""

from __future__ import annotations

import logging

import pytest
from graphql import GraphQLError

from app.errors import ErrorCode, PaliError
from app.schema.errors import classify
from app.settings import settings
from tests.conftest import Api


def test_no_token_and_bad_token_are_unauthenticated(alice: Api) -> None:
    for token in (None, "pali_wrong"):
        error = Api(alice.http, token).error("{ collections { totalCount } }")
        assert error["code"] == "UNAUTHENTICATED"
        assert "Bearer" in error["message"]
    response = alice.http.post(
        "/graphql", json={"query": "{ me { name } }"}, headers={"Authorization": "Basic abc"}
    )
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_syntax_and_validation_errors_are_bad_user_input(alice: Api) -> None:
    assert alice.error("{ collections { ")["code"] == "BAD_USER_INPUT"
    error = alice.error("{ collections { nope } }")
    assert error["code"] == "BAD_USER_INPUT" and "nope" in error["message"]
    assert (
        alice.error("query($id: ID!) { node(id: $id) { id } }", {"id": "bm90LWEtaWQ="})["code"]
        == "BAD_USER_INPUT"
    )


def test_depth_alias_and_token_limits(alice: Api) -> None:
    deep = "{ collections { edges { node { documents { edges { node { pages { edges { node { document { collection { documents { totalCount } } } } } } } } } } } } }"
    assert alice.error(deep)["code"] == "QUERY_TOO_COMPLEX"
    aliases = (
        "{ "
        + " ".join(f"a{i}: me {{ name }}" for i in range(settings.max_query_aliases + 1))
        + " }"
    )
    assert alice.error(aliases)["code"] == "QUERY_TOO_COMPLEX"
    tokens = "{ me { " + "name " * settings.max_query_tokens + "} }"
    assert alice.error(tokens)["code"] == "QUERY_TOO_COMPLEX"


def test_unexpected_errors_are_masked_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    secret = GraphQLError("boom", original_error=RuntimeError("password=hunter2 in stack"))
    with caplog.at_level(logging.ERROR, logger="paliapi.errors"):
        masked = classify(secret)
    assert masked.message == "Internal server error."
    assert masked.extensions == {"code": "INTERNAL_SERVER_ERROR"}
    assert "hunter2" not in str(masked.formatted)
    assert "hunter2" in caplog.text


def test_domain_errors_keep_code_message_and_extensions() -> None:
    error = classify(
        GraphQLError("x", original_error=PaliError(ErrorCode.CONFLICT, "taken", name="a"))
    )
    assert error.message == "taken"
    assert error.extensions == {"name": "a", "code": "CONFLICT"}
