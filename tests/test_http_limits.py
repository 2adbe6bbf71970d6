"""Bodies that are not one GraphQL request get a JSON GraphQL error with a code, never a
plain-text body or a 500."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import Api

JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b'{"query": "{ me { name } }"', "not valid JSON"),
        (b"\xff\xfe{}", "not valid JSON"),
        (
            b'{"query": "{ me { name } }", "variables": {"n": 1' + b"0" * 5000 + b"}}",
            "not valid JSON",
        ),
        (b'[{"query": "{ me { name } }"}, {"query": "{ me { name } }"}]', "Batched requests"),
        (b"[" * 100_000 + b"]" * 100_000, "nests too deeply"),
        (
            b'{"query": "{ me { name } }", "variables": ' + b"[" * 5000 + b"]" * 5000 + b"}",
            "nests too deeply",
        ),
        (b"5", "must be a JSON object"),
        (b'"{ me { name } }"', "must be a JSON object"),
        (b"null", "must be a JSON object"),
        (b'{"variables": {}}', "No GraphQL query"),
        (b'{"query": 5}', "must be a string"),
        (b'{"query": "{ me { name } }", "variables": [1]}', "must be an object"),
    ],
)
def test_malformed_bodies_are_typed_json_errors(alice: Api, body: bytes, says: str) -> None:
    response = alice.http.post("/graphql", content=body, headers={**alice.headers, **JSON})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert says in error["message"]


def test_other_refusals_are_typed_json_errors(alice: Api, http: httpx.Client) -> None:
    wrong_type = http.post(
        "/graphql", content=b"query=x", headers={**alice.headers, "Content-Type": "text/plain"}
    )
    mutation_by_get = http.get(
        "/graphql",
        params={"query": 'mutation { deleteCollection(name: "x") }'},
        headers={**alice.headers, "Accept": "application/json"},
    )
    for response in (wrong_type, mutation_by_get):
        assert response.status_code in (400, 405), response.text
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    # The server is still answering.
    assert http.get("/healthz").status_code == 200
