"""Write docs/reference/graphql.md from schema.graphql: every type, field and argument."""

from __future__ import annotations

import sys
from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    build_schema,
)

ROOT = Path(__file__).resolve().parents[1]


def render(sdl: str) -> str:
    schema = build_schema(sdl)
    lines = ["# GraphQL schema", "", "Generated from `schema.graphql`; do not edit.", ""]
    for name in sorted(schema.type_map):
        kind = schema.type_map[name]
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        label = {
            GraphQLObjectType: "type",
            GraphQLInterfaceType: "interface",
            GraphQLInputObjectType: "input",
            GraphQLEnumType: "enum",
            GraphQLScalarType: "scalar",
        }[type(kind)]
        lines += [f"## {name}", "", f"*{label}*", ""]
        if kind.description:
            lines += [kind.description.replace("\n", " "), ""]
        if isinstance(kind, GraphQLEnumType):
            for value_name, value in kind.values.items():
                lines.append(f"- `{value_name}`: {value.description or ''}".rstrip(": "))
            lines.append("")
        elif isinstance(kind, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            lines += ["| field | type | description |", "| --- | --- | --- |"]
            for field_name, field in kind.fields.items():
                args = getattr(field, "args", {})
                signature = field_name
                if args:
                    signature += "(" + ", ".join(f"{a}: {v.type}" for a, v in args.items()) + ")"
                description = (field.description or "").replace("\n", " ").replace("|", "\\|")
                for arg_name, arg in args.items():
                    if arg.description:
                        description += f" `{arg_name}`: {arg.description}"
                lines.append(f"| `{signature}` | `{field.type}` | {description} |")
            lines.append("")
    return "\n".join(lines)


def main() -> None:
    output = render((ROOT / "schema.graphql").read_text())
    target = ROOT / "docs" / "reference" / "graphql.md"
    if "--check" in sys.argv:
        sys.exit(0 if target.exists() and target.read_text() == output else 1)
    target.write_text(output)


if __name__ == "__main__":
    main()
