"""The filter language, compiled and run on the real database: every operator, nesting,
type errors, and injection attempts (which must match literally or fail cleanly)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import col

from app.db.engine import Database
from app.db.metadata_filter import MAX_VALUES, compile_filter
from app.db.models import Collection
from app.errors import ErrorCode, PaliError
from app.settings import settings
from tests.conftest import make_user

ROWS: dict[str, dict[str, Any]] = {
    "a": {"year": 2019, "team": "alpha", "tags": ["x", "y"], "author": {"name": "Ada", "age": 36}},
    "b": {"year": 2024, "team": "beta", "tags": ["y"], "title": "Annual report", "draft": True},
    "c": {"year": "2024", "team": "alpha", "author": {"name": "Bob"}, "score": 2.5, "note": None},
    "d": {},
}


@pytest.fixture
async def match(db: Database) -> Any:
    owner, _ = await make_user(db, "filters")
    async with db.transaction() as session:
        for name, meta in ROWS.items():
            session.add(Collection(owner_id=owner.id, name=name, meta=meta, model="m"))  # type: ignore[arg-type]

    async def run(spec: Any) -> list[str]:
        column = Collection.__table__.c.metadata  # type: ignore[attr-defined]
        async with db.session() as session:
            stmt = (
                select(col(Collection.name))
                .where(col(Collection.owner_id) == owner.id, compile_filter(column, spec))
                .order_by(col(Collection.name))
            )
            return list(await session.scalars(stmt))

    return run


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({}, ["a", "b", "c", "d"]),
        ({"team": "alpha"}, ["a", "c"]),
        ({"team": "alpha", "year": 2019}, ["a"]),
        ({"author.name": "Ada"}, ["a"]),
        ({"author": {"name": "Bob"}}, ["c"]),
        ({"tags": ["y"]}, ["a", "b"]),
        ({"year": {"$eq": 2024}}, ["b"]),
        ({"year": {"$eq": "2024"}}, ["c"]),
        ({"team": {"$ne": "alpha"}}, ["b", "d"]),
        ({"year": {"$gt": 2019}}, ["b"]),
        ({"year": {"$gte": 2019}}, ["a", "b"]),
        ({"year": {"$lt": 2024}}, ["a"]),
        ({"year": {"$lte": 2024}}, ["a", "b"]),
        ({"year": {"$gte": "2000"}}, ["c"]),
        ({"score": {"$gt": 2, "$lt": 3}}, ["c"]),
        ({"author.age": {"$gte": 30}}, ["a"]),
        ({"team": {"$in": ["beta", "gamma"]}}, ["b"]),
        ({"team": {"$in": []}}, []),
        ({"team": {"$nin": ["alpha"]}}, ["b", "d"]),
        ({"draft": {"$exists": True}}, ["b"]),
        ({"note": {"$exists": True}}, ["c"]),
        ({"author": {"$exists": False}}, ["b", "d"]),
        ({"tags": {"$contains": "x"}}, ["a"]),
        ({"tags": {"$contains": ["x", "y"]}}, ["a"]),
        ({"title": {"$contains": "report"}}, ["b"]),
        ({"$and": [{"team": "alpha"}, {"year": {"$type_is_not_checked_here": 1}}]}, None),
        ({"$and": [{"team": "alpha"}, {"author.name": "Bob"}]}, ["c"]),
        ({"$or": [{"team": "beta"}, {"author.name": "Ada"}]}, ["a", "b"]),
        ({"$not": {"team": "alpha"}}, ["b", "d"]),
        ({"year": {"$not": {"$gt": 2020}}}, ["a", "c", "d"]),
        ({"year": {"$gte": 2020}, "$or": [{"team": "a"}, {"tags": {"$contains": "y"}}]}, ["b"]),
    ],
)
async def test_operators(match: Any, spec: dict[str, Any], expected: list[str] | None) -> None:
    if expected is None:
        with pytest.raises(PaliError) as info:
            await match(spec)
        assert info.value.code is ErrorCode.BAD_USER_INPUT
        assert "filter.$and[1].year.$type_is_not_checked_here" in info.value.message
        return
    assert await match(spec) == expected


@pytest.mark.parametrize(
    ("spec", "where"),
    [
        ([1, 2], "filter: a filter must be a JSON object"),
        ({"$where": "1"}, "filter.$where: unknown operator"),
        ({"year": {"$gt": True}}, "filter.year.$gt: expected a number or a string"),
        ({"year": {"$gt": [1]}}, "filter.year.$gt: expected a number or a string"),
        ({"team": {"$in": "alpha"}}, "filter.team.$in: expected a list"),
        ({"team": {"$exists": 1}}, "filter.team.$exists: expected true or false"),
        ({"$or": []}, "filter.$or: expected a non-empty list"),
        ({"$or": [1]}, "filter.$or[0]: a filter must be a JSON object"),
        ({"a..b": 1}, "filter: 'a..b' is not a valid key"),
        ({"a.$b": 1}, "filter: 'a.$b' is not a valid key"),
        ({"team": {"$eq": 1, "plain": 2}}, "filter.team: do not mix operators"),
        ({"year": {"$not": 3}}, "filter.year.$not: expected an object of operators"),
    ],
)
async def test_type_errors_name_the_offending_path(match: Any, spec: Any, where: str) -> None:
    with pytest.raises(PaliError) as info:
        await match(spec)
    assert info.value.code is ErrorCode.BAD_USER_INPUT
    assert where in info.value.message


async def test_deep_nesting_is_refused_not_a_crash(match: Any) -> None:
    spec: dict[str, Any] = {"team": "alpha"}
    for _ in range(settings.max_filter_depth + 5):
        spec = {"$not": spec}
    with pytest.raises(PaliError, match="deeper than"):
        await match(spec)
    # A plain value nested past Python's recursion limit is measured, not recursed into.
    value: Any = "alpha"
    for _ in range(5000):
        value = {"a": value}
    with pytest.raises(PaliError, match="deeper than"):
        await match({"team": value})


@pytest.mark.parametrize(
    "spec",
    [
        {"team": "al\x00pha"},
        {"te\x00am": "alpha"},
        {"team": {"$in": ["x", "\x00"]}},
        {"$or": [{"team": {"$contains": "\x00"}}]},
    ],
)
async def test_nul_characters_are_bad_input(match: Any, spec: Any) -> None:
    with pytest.raises(PaliError, match="NUL") as info:
        await match(spec)
    assert info.value.code is ErrorCode.BAD_USER_INPUT


async def test_too_many_values_are_refused_before_postgres_sees_them(match: Any) -> None:
    with pytest.raises(PaliError, match=str(MAX_VALUES)):
        await match({"year": {"$in": list(range(40_000))}})
    assert await match({"year": {"$in": list(range(2000, 2000 + MAX_VALUES // 2))}}) == ["a", "b"]


@pytest.mark.parametrize(
    "hostile",
    [
        "alpha' OR '1'='1",
        "'; DROP TABLE collections; --",
        "alpha\"}}' OR true --",
        "%",
        "\\",
    ],
)
async def test_injection_attempts_are_plain_values(match: Any, hostile: str) -> None:
    assert await match({"team": hostile}) == []
    assert await match({hostile: "alpha"}) == []
    assert await match({"team": {"$in": [hostile]}}) == []
    assert await match({"title": {"$contains": hostile}}) == []
    assert await match({"year": {"$eq": hostile}}) == []
    assert await match({}) == ["a", "b", "c", "d"]  # the table is intact
