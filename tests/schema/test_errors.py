"""Every client-caused error carries a stable code; bugs are masked; limits hold; client
errors are logged quietly and bugs loudly."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from graphql import GraphQLError

from app.errors import ErrorCode, PaliError
from app.schema.errors import classify, log_error
from app.settings import settings
from tests.conftest import Api

CREATE = "mutation($name: String!, $metadata: JSON) { createCollection(input: {name: $name, metadata: $metadata}) { name } }"
COLLECTIONS = "query($filter: JSON) { collections(filter: $filter) { totalCount } }"


def nested(levels: int, leaf: Any = 1) -> Any:
    value = leaf
    for _ in range(levels):
        value = {"a": value}
    return value


def send(api: Api, query: str, variables: str) -> dict[str, Any]:
    """A request whose variables are given as JSON text: Python cannot encode some of them."""
    body = '{"query": ' + json.dumps(query) + ', "variables": ' + variables + "}"
    response = api.http.post(
        "/graphql",
        content=body,
        headers={**api.headers, "Content-Type": "application/json"},
    )
    result: dict[str, Any] = response.json()
    return result


def test_values_nested_past_the_recursion_limit_are_bad_user_input(alice: Api) -> None:
    deep = '{"a":' * 1000 + "1" + "}" * 1000
    for query, variables in (
        (CREATE, '{"name": "c", "metadata": ' + deep + "}"),
        (COLLECTIONS, '{"filter": ' + deep + "}"),
    ):
        (error,) = send(alice, query, variables)["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert "nests" in error["message"]


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


@pytest.mark.parametrize(
    ("variables", "says"),
    [
        ({"k": "three"}, "Int cannot represent non-integer value: 'three'"),
        ({}, "Expected a value of non-null type 'Int!' to be provided"),
        ({"k": 2**40}, "Int cannot represent non 32-bit signed integer value"),
    ],
)
def test_variables_of_the_wrong_type_say_what_was_wrong(
    alice: Api, variables: dict[str, Any], says: str
) -> None:
    error = alice.error("query($k: Int!) { collections(first: $k) { totalCount } }", variables)
    assert error["code"] == "BAD_USER_INPUT"
    assert "$k" in error["message"] and says in error["message"]


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
    # A syntax error well inside the token budget stays an ordinary syntax error.
    assert alice.error("{ me { name } } }")["code"] == "BAD_USER_INPUT"


def test_limiter_code_does_not_depend_on_the_message() -> None:
    # An error worded like a limiter's but raised elsewhere is not taken for one.
    lookalike = GraphQLError("'q' exceeds maximum operation depth of 10")
    assert classify(lookalike).extensions == {"code": "BAD_USER_INPUT"}


def test_unexpected_errors_are_masked_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    secret = GraphQLError("boom", original_error=RuntimeError("password=hunter2 in stack"))
    masked = classify(secret)
    assert masked.message == "Internal server error."
    assert masked.extensions == {"code": "INTERNAL_SERVER_ERROR"}
    assert "hunter2" not in str(masked.formatted)
    with caplog.at_level(logging.INFO, logger="paliapi.errors"):
        log_error(secret)
    (record,) = caplog.records
    assert record.levelno == logging.ERROR and record.exc_info is not None
    assert "hunter2" in caplog.text


def test_client_errors_are_logged_at_info_without_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    errors = [
        GraphQLError("x", original_error=PaliError(ErrorCode.NOT_FOUND, "gone")),
        GraphQLError("Cannot query field 'nope'"),
        GraphQLError("Variable '$k' ...", original_error=GraphQLError("Int cannot represent")),
    ]
    with caplog.at_level(logging.DEBUG, logger="paliapi.errors"):
        for error in errors:
            log_error(error)
    assert [r.levelno for r in caplog.records] == [logging.INFO] * 3
    assert all(r.exc_info is None for r in caplog.records)


def test_domain_errors_keep_code_message_and_extensions() -> None:
    error = classify(
        GraphQLError("x", original_error=PaliError(ErrorCode.CONFLICT, "taken", name="a"))
    )
    assert error.message == "taken"
    assert error.extensions == {"name": "a", "code": "CONFLICT"}


@pytest.mark.parametrize(
    ("metadata", "says"),
    [
        (nested(settings.max_metadata_depth + 1), "nests deeper than"),
        ({f"k{i}": i for i in range(10_000)}, "bytes as JSON"),
        ({"note": "x" * (settings.max_metadata_bytes + 1)}, "bytes as JSON"),
        ({"a\u0000b": 1}, "NUL"),
        ({"a": ["ok", "b\u0000"]}, "NUL"),
    ],
)
def test_metadata_over_the_limits_or_with_nul_is_bad_user_input(
    alice: Api, metadata: Any, says: str
) -> None:
    error = alice.error(CREATE, {"name": "c", "metadata": metadata})
    assert error["code"] == "BAD_USER_INPUT" and says in error["message"], error
    assert alice.data("{ collections { totalCount } }")["collections"]["totalCount"] == 0
    # Within the limits, the same shapes are stored.
    fine = nested(settings.max_metadata_depth - 1)
    assert alice.data(CREATE, {"name": "ok", "metadata": fine})["createCollection"]["name"] == "ok"
    alice.data('mutation { deleteCollection(name: "ok") }')


@pytest.mark.parametrize(
    "filter_",
    [nested(settings.max_filter_depth + 1), {"team": "a\u0000"}, {"$or": [{"te\u0000am": 1}]}],
)
def test_deep_filters_and_nul_in_filters_are_bad_user_input(alice: Api, filter_: Any) -> None:
    assert alice.error(COLLECTIONS, {"filter": filter_})["code"] == "BAD_USER_INPUT"


def test_nul_in_names_and_text_search_is_bad_user_input(alice: Api) -> None:
    assert alice.error(CREATE, {"name": "a\u0000b"})["code"] == "BAD_USER_INPUT"
    # Looking a name up binds it into SQL as well.
    lookups = [
        ("query($n: String!) { collection(name: $n) { name } }", {"n": "a\u0000"}),
        (
            "query($c: String!, $n: String!) { document(collectionName: $c, name: $n) { name } }",
            {"c": "c", "n": "\u0000"},
        ),
        ("mutation($n: String!) { deleteCollection(name: $n) }", {"n": "\u0000"}),
    ]
    alice.data(CREATE, {"name": "c"})
    for query, variables in lookups:
        assert alice.error(query, variables)["code"] == "BAD_USER_INPUT"
    search = (
        "query($q: String!, $m: SearchMode!) { search(input: {query: $q, mode: $m}) { tookMs } }"
    )
    for mode in ("TEXT", "HYBRID", "VISUAL"):
        error = alice.error(search, {"q": "annual\u0000report", "m": mode})
        assert error["code"] == "BAD_USER_INPUT" and "NUL" in error["message"]


def test_non_finite_numbers_in_metadata_and_filters_are_bad_user_input(alice: Api) -> None:
    # Python's JSON parser accepts NaN and 1e999 (infinity); JSONB does not.
    for query, variables in (
        (CREATE, '{"name": "c", "metadata": {"x": NaN}}'),
        (CREATE, '{"name": "c", "metadata": {"x": [1e999]}}'),
        (COLLECTIONS, '{"filter": {"x": {"$gt": -Infinity}}}'),
    ):
        (error,) = send(alice, query, variables)["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert "non-finite" in error["message"]


def test_client_errors_over_http_leave_no_error_log(
    alice: Api, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        alice.error('mutation { deleteCollection(name: "nope") }')
        alice.error("query($k: Int!) { collections(first: $k) { totalCount } }", {"k": "x"})
        alice.error("{ collections { nope } }")
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    quiet = [r for r in caplog.records if r.name == "paliapi.errors"]
    assert len(quiet) == 3 and all(r.exc_info is None for r in quiet)
