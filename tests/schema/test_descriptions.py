"""Every type, field, argument and enum value of the public schema has a description."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
)

from app.schema.root import schema

BUILT_IN_SCALARS = {"String", "Int", "Float", "Boolean", "ID"}


def _described(thing: object) -> bool:
    return bool((getattr(thing, "description", None) or "").strip())


def _missing_in(name: str, kind: GraphQLNamedType) -> list[str]:
    missing = [] if _described(kind) else [name]
    if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType):
        for field_name, field in kind.fields.items():
            if not _described(field):
                missing.append(f"{name}.{field_name}")
            missing += [
                f"{name}.{field_name}({arg_name})"
                for arg_name, arg in field.args.items()
                if not _described(arg)
            ]
    elif isinstance(kind, GraphQLInputObjectType):
        missing += [
            f"{name}.{field_name}"
            for field_name, field in kind.fields.items()
            if not _described(field)
        ]
    elif isinstance(kind, GraphQLEnumType):
        missing += [
            f"{name}.{value_name}"
            for value_name, value in kind.values.items()
            if not _described(value)
        ]
    return missing


def undescribed(graphql_schema: GraphQLSchema) -> list[str]:
    """Paths such as `Query.search(input)` of whatever in the schema lacks a description."""
    missing: list[str] = []
    for name, kind in sorted(graphql_schema.type_map.items()):
        if name.startswith("__") or name in BUILT_IN_SCALARS:
            continue
        missing += _missing_in(name, kind)
    return missing


def test_everything_in_the_schema_is_described() -> None:
    missing = undescribed(schema._schema)
    assert not missing, "No description (GraphiQL and the SDKs show them): " + ", ".join(missing)


def test_a_missing_description_is_named() -> None:
    sdl = '''
        """Reads."""
        type Query {
          """Described."""
          a(x: Int): Int
          b: Mode
        }
        enum Mode { """Described.""" ONE TWO }
    '''
    assert undescribed(build_schema(sdl)) == ["Mode", "Mode.TWO", "Query.a(x)", "Query.b"]
