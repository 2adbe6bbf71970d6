"""The exported `schema.graphql` is the contract; it must match the code."""

from __future__ import annotations

from pathlib import Path

from strawberry.printer import print_schema

from app.schema.root import schema

ROOT = Path(__file__).resolve().parents[2]


def test_schema_graphql_matches_the_code() -> None:
    exported = (ROOT / "schema.graphql").read_text()
    assert exported.strip() == print_schema(schema).strip(), (
        "schema.graphql is stale: run `make schema`"
    )


def test_contract_names_are_present() -> None:
    sdl = print_schema(schema)
    for name in (
        "interface Node",
        "type Collection implements Node",
        "type Document implements Node",
        "type Page implements Node",
        "enum DocumentStatus",
        "scalar JSON",
        "totalCount: Int!",
    ):
        assert name in sdl
