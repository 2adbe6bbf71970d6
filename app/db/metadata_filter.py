"""The metadata filter language of API.md, compiled to parameterised SQL over a JSONB column.

Plain keys match by containment (`@>`, served by the GIN index); `$` operators give
comparisons, membership, existence and boolean logic. Dotted keys address nested objects.
Values are always bound parameters, never spliced into SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, literal, not_, or_, true
from sqlalchemy.dialects.postgresql import JSONB

from app.errors import bad_input
from app.json_values import check_json
from app.settings import settings

# Each value becomes a bind parameter, and Postgres takes at most 32,767 per statement.
MAX_VALUES = 1000
_COMPARISONS: dict[str, Callable[[Any, Any], ColumnElement[bool]]] = {
    "$gt": lambda a, b: a > b,
    "$gte": lambda a, b: a >= b,
    "$lt": lambda a, b: a < b,
    "$lte": lambda a, b: a <= b,
}
_FIELD_OPERATORS = ("$eq", "$ne", "$in", "$nin", "$exists", "$contains", "$not", *_COMPARISONS)
_LOGICAL_OPERATORS = ("$and", "$or", "$not")


def compile_filter(column: Any, spec: Any, *, where: str = "filter") -> ColumnElement[bool]:
    """Compile a filter object into a boolean SQL expression over `column` (JSONB)."""
    # Measured before compiling: the compiler recurses, and Postgres refuses NUL in JSONB.
    check_json(spec, field=where, max_depth=settings.max_filter_depth, max_values=MAX_VALUES)
    return _object(column, spec, where)


def _object(column: Any, spec: Any, where: str) -> ColumnElement[bool]:
    if not isinstance(spec, dict):
        raise bad_input(f"{where}: a filter must be a JSON object, got {_kind(spec)}.")
    clauses = [_entry(column, key, value, where) for key, value in spec.items()]
    return and_(true(), *clauses)


def _entry(column: Any, key: str, value: Any, where: str) -> ColumnElement[bool]:
    here = f"{where}.{key}"
    if key.startswith("$"):
        if key in ("$and", "$or"):
            if not isinstance(value, list) or not value:
                raise bad_input(f"{here}: expected a non-empty list of filter objects.")
            parts = [_object(column, v, f"{here}[{i}]") for i, v in enumerate(value)]
            return and_(*parts) if key == "$and" else or_(*parts)
        if key == "$not":
            return _negate(_object(column, value, here))
        raise bad_input(
            f"{here}: unknown operator {key!r}; at the top level use a field name or one of "
            f"{', '.join(_LOGICAL_OPERATORS)}."
        )
    path = _path(key, where)
    if isinstance(value, dict) and any(k.startswith("$") for k in value):
        if not all(k.startswith("$") for k in value):
            raise bad_input(f"{here}: do not mix operators and plain keys in one object.")
        return and_(*(_operator(column, path, op, v, f"{here}.{op}") for op, v in value.items()))
    return _contains(column, path, value)


def _operator(
    column: Any, path: tuple[str, ...], op: str, value: Any, here: str
) -> ColumnElement[bool]:
    field: ColumnElement[Any] = column[path]  # `#>`: the JSONB value at the path, NULL when absent
    if op in _COMPARISONS:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise bad_input(f"{here}: expected a number or a string, got {_kind(value)}.")
        json_type = "string" if isinstance(value, str) else "number"
        # jsonb orders across types; the type check keeps 10 > "9" from ever matching.
        return and_(func.jsonb_typeof(field) == json_type, _COMPARISONS[op](field, _json(value)))
    if op == "$eq":
        return field == _json(value)
    if op == "$ne":
        return field.is_distinct_from(_json(value))
    if op in ("$in", "$nin"):
        if not isinstance(value, list):
            raise bad_input(f"{here}: expected a list of values, got {_kind(value)}.")
        if op == "$in":
            return or_(false(), *(field == _json(v) for v in value))
        return and_(true(), *(field.is_distinct_from(_json(v)) for v in value))
    if op == "$exists":
        if not isinstance(value, bool):
            raise bad_input(f"{here}: expected true or false, got {_kind(value)}.")
        return field.is_not(None) if value else field.is_(None)
    if op == "$contains":
        in_array = _contains(column, path, value if isinstance(value, list) else [value])
        if not isinstance(value, str):
            return in_array
        in_string = and_(func.jsonb_typeof(field) == "string", func.strpos(field.astext, value) > 0)
        return or_(in_array, in_string)
    if op == "$not":
        if not isinstance(value, dict) or not value or not all(k.startswith("$") for k in value):
            raise bad_input(f'{here}: expected an object of operators, e.g. {{"$gt": 3}}.')
        inner = and_(*(_operator(column, path, o, v, f"{here}.{o}") for o, v in value.items()))
        return _negate(inner)
    raise bad_input(f"{here}: unknown operator {op!r}; use one of {', '.join(_FIELD_OPERATORS)}.")


def _negate(clause: ColumnElement[bool]) -> ColumnElement[bool]:
    # A comparison on an absent key is NULL; NOT NULL would drop the row instead of keeping it.
    return not_(func.coalesce(clause, false()))


def _contains(column: Any, path: tuple[str, ...], value: Any) -> ColumnElement[bool]:
    nested: Any = value
    for segment in reversed(path):
        nested = {segment: nested}
    return column.contains(nested)  # type: ignore[no-any-return]


def _json(value: Any) -> ColumnElement[Any]:
    return literal(value, JSONB)


def _path(key: str, where: str) -> tuple[str, ...]:
    segments = tuple(key.split("."))
    if not key or any(not s or s.startswith("$") for s in segments):
        raise bad_input(
            f'{where}: {key!r} is not a valid key; use names joined by dots, e.g. "author.name".'
        )
    return segments


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)
