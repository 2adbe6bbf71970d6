"""Schema descriptions shared by several fields, and the two helpers that attach descriptions
to what is declared outside `app/schema`: resolver arguments and enums from the services.

Every type, field, argument and enum value of the public schema has a description (GraphiQL
and both SDKs show them); tests/schema/test_descriptions.py fails on a missing one.
"""

from __future__ import annotations

from enum import EnumMeta
from typing import TypeVar

from strawberry.types.enum import StrawberryEnumDefinition
from strawberry.types.field import StrawberryField

E = TypeVar("E", bound=EnumMeta)
F = TypeVar("F")

FIRST = (
    "How many items to return: 20 when omitted (PALIAPI_DEFAULT_PAGE_SIZE), at most 100 "
    "(PALIAPI_MAX_PAGE_SIZE); out of range is BAD_USER_INPUT."
)
AFTER = (
    "Return the items after this cursor: a previous page's `pageInfo.endCursor` (or an edge's "
    "`cursor`). An invalid cursor is BAD_USER_INPUT."
)
FILTER = (
    "A metadata filter, a JSON object: plain keys match by equality, dotted keys reach nested "
    'values (`"author.name"`), and the operators are `$eq $ne $gt $gte $lt $lte $in $nin '
    '$exists $contains $and $or $not`, e.g. `{"year": {"$gte": 2020}}`. A wrong filter is '
    "BAD_USER_INPUT naming the offending path."
)
METADATA = (
    "Your own metadata, a JSON object (by default at most 64 KiB and 16 levels deep: "
    "PALIAPI_MAX_METADATA_BYTES, PALIAPI_MAX_METADATA_DEPTH); searchable with metadata filters."
)
TOTAL_COUNT = "How many items match in all, across every page of this connection."
COLLECTION_NAME = "The collection's name (yours; another user's is NOT_FOUND)."
DOCUMENT_NAME = "The document's name, unique within its collection."


def describe_arguments(field: F, **descriptions: str) -> F:
    """`field` (a `strawberry.field` with a resolver), its arguments described by Python name.

    For resolvers declared in `app/resolvers`; an unknown name is a TypeError.
    """
    if not isinstance(field, StrawberryField):
        raise TypeError(f"{field!r} is not a strawberry field")
    arguments = {argument.python_name: argument for argument in field.arguments}
    for name, description in descriptions.items():
        if name not in arguments:
            raise TypeError(f"{field.python_name}: no argument {name!r} to describe")
        arguments[name].description = description
    return field


def describe_values(enum: E, **descriptions: str) -> E:
    """`enum` (already a Strawberry enum), its values described; an unknown name is a TypeError."""
    definition: StrawberryEnumDefinition = enum.__strawberry_definition__  # type: ignore[attr-defined]
    values = {value.name: value for value in definition.values}
    for name, description in descriptions.items():
        if name not in values:
            raise TypeError(f"{definition.name}: no value {name!r} to describe")
        values[name].description = description
    return enum
