"""Property-based fuzzing of the live API: queries and mutations generated from the schema
(valid ones and ones with a single violation), sent over HTTP as an authenticated user, with
their arguments inline or moved into variables. No answer may be an internal error or a
non-JSON body, and the server keeps answering /healthz."""

from __future__ import annotations

import base64
import time
from collections import Counter
from dataclasses import replace
from typing import Any

import graphql
import httpx
import pytest
from graphql import (
    ArgumentNode,
    BooleanValueNode,
    DocumentNode,
    GraphQLSchema,
    ListValueNode,
    NameNode,
    NullValueNode,
    ObjectFieldNode,
    ObjectValueNode,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema, nodes

from app.db.engine import Database
from app.schema.root import schema
from app.settings import settings as app_settings
from tests.conftest import add_document, make_user

EXAMPLES_PER_MODE = 150
SCHEMA: GraphQLSchema = graphql.build_schema(schema.as_str())
# Literal object keys must be GraphQL names; `dollar_x` becomes the filter operator `$x` when
# the value travels as a variable, so the filter language is reached too.
OPERATORS = ["and", "or", "not", "eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "exists"]
KEYS = st.sampled_from(["team", "year", "tags", "author", *(f"dollar_{o}" for o in OPERATORS)])
LEAVES: st.SearchStrategy[ValueNode] = st.one_of(
    st.just(NullValueNode()),
    st.booleans().map(lambda b: BooleanValueNode(value=b)),
    st.integers(-(2**40), 2**40).map(nodes.Int),
    st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
    st.text(max_size=12).map(nodes.String),
)


# Half the time a value that exists (the seeded collection and document, small row ids), so
# the generated operations get past the lookups and into the services.
STRINGS = st.one_of(st.sampled_from(["team", "year"]), st.text(max_size=24)).map(nodes.String)
IDS = st.one_of(
    st.builds(
        lambda kind, row: base64.b64encode(f"{kind}:{row}".encode()).decode(),
        st.sampled_from(["Collection", "Document", "Page", "User"]),
        st.integers(0, 3),
    ),
    st.text(max_size=12),
).map(nodes.String)


def _object(fields: dict[str, ValueNode]) -> ValueNode:
    return ObjectValueNode(
        fields=tuple(ObjectFieldNode(name=NameNode(value=k), value=v) for k, v in fields.items())
    )


JSON_VALUES: st.SearchStrategy[ValueNode] = st.recursive(
    LEAVES,
    lambda children: st.one_of(
        st.lists(children, max_size=4).map(lambda items: ListValueNode(values=tuple(items))),
        st.dictionaries(
            KEYS | st.from_regex(r"[a-z_]{1,6}", fullmatch=True), children, max_size=4
        ).map(_object),
    ),
    max_leaves=12,
)


def _plain(value: Any) -> Any:
    """A literal's value as a client would send it in variables."""
    if isinstance(value, dict):
        return {
            ("$" + k.removeprefix("dollar_") if k.startswith("dollar_") else k): _plain(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def with_variables(document: DocumentNode) -> tuple[str, dict[str, Any]]:
    """The same operation with every argument moved into a typed variable."""
    type_info = TypeInfo(SCHEMA)
    definitions: list[VariableDefinitionNode] = []
    variables: dict[str, Any] = {}

    class Variabilise(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: Any) -> ArgumentNode | None:
            type_ = type_info.get_input_type()
            if type_ is None:
                return None
            name = f"v{len(definitions)}"
            variables[name] = _plain(graphql.value_from_ast_untyped(node.value))
            variable = VariableNode(name=NameNode(value=name))
            definitions.append(
                VariableDefinitionNode(variable=variable, type=graphql.parse_type(str(type_)))
            )
            return ArgumentNode(name=node.name, value=variable)

    edited = graphql.visit(document, TypeInfoVisitor(type_info, Variabilise()))
    operations = []
    for definition in edited.definitions:
        if isinstance(definition, OperationDefinitionNode):
            definition = replace(definition, variable_definitions=tuple(definitions))
        operations.append(definition)
    return graphql.print_ast(DocumentNode(definitions=tuple(operations))), variables


def requests(mode: Mode) -> st.SearchStrategy[dict[str, Any]]:
    documents = from_schema(
        SCHEMA,
        # Upload has no JSON form: arguments of that type are left out (they are optional).
        custom_scalars={"JSON": JSON_VALUES, "String": STRINGS, "ID": IDS},
        print_ast=lambda document: document,
        mode=mode,
    )

    def as_request(document: Any, inline: bool) -> dict[str, Any]:
        if inline:
            return {"query": graphql.print_ast(document)}
        query, variables = with_variables(document)
        return {"query": query, "variables": variables}

    return st.builds(as_request, documents, st.booleans())


@pytest.fixture
async def fuzzer(db: Database, http: httpx.Client) -> dict[str, str]:
    # An admin, so per-user rate limits do not stop the fuzzing at the front door.
    _, token = await make_user(db, "fuzzer", admin=True)
    api_headers = {"Authorization": f"Bearer {token}"}
    http.post(
        "/graphql",
        json={"query": 'mutation { createCollection(input: {name: "team"}) { name } }'},
        headers=api_headers,
    )
    await add_document(
        db, owner_name="fuzzer", collection="team", name="year", metadata={"team": "a"}, pages=2
    )
    return api_headers


@pytest.fixture
def short_timeouts(monkeypatch: pytest.MonkeyPatch) -> None:
    # Generated URLs and `wait: true` must not hold a request for minutes.
    monkeypatch.setattr(app_settings, "url_timeout_s", 2.0)
    monkeypatch.setattr(app_settings, "wait_timeout_s", 2.0)


# hypothesis-graphql draws with the `random` module in places; that only costs replayability.
@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")
def test_generated_operations_never_fail_internally(
    http: httpx.Client, fuzzer: dict[str, str], short_timeouts: None
) -> None:
    seen: Counter[str] = Counter()
    messages: Counter[str] = Counter()
    failures: list[tuple[dict[str, Any], str]] = []

    def send(request: dict[str, Any]) -> None:
        response = http.post("/graphql", json=request, headers=fuzzer)
        seen["requests"] += 1
        try:
            body = response.json()
        except ValueError:
            failures.append((request, f"non-JSON {response.status_code}: {response.text[:200]}"))
            return
        for error in body.get("errors") or ():
            code = error.get("extensions", {}).get("code")
            seen[code or "no code"] += 1
            messages[f"{code}: {str(error.get('message'))[:60]}"] += 1
            if code in (None, "INTERNAL_SERVER_ERROR"):
                failures.append((request, f"{code}: {error.get('message')}"))
        if not body.get("errors"):
            seen["ok"] += 1

    started = time.monotonic()
    for mode in (Mode.POSITIVE, Mode.NEGATIVE):

        @settings(
            max_examples=EXAMPLES_PER_MODE,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(request=requests(mode))
        def run(request: dict[str, Any]) -> None:
            send(request)

        run()
        assert http.get("/healthz").status_code == 200

    took = time.monotonic() - started
    print(f"\nfuzz: {seen['requests']} requests in {took:.1f} s; outcomes {dict(seen)}")
    print("most frequent errors:", *messages.most_common(8), sep="\n  ")
    assert not failures, failures[:5]
    assert seen["requests"] >= EXAMPLES_PER_MODE
