"""Per-user rate limits and the `exact` cap, over real HTTP against the live server."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from app.db.engine import Database
from app.errors import ErrorCode, PaliError
from app.rate_limits import Bucket, take
from app.settings import settings
from tests import files
from tests.conftest import Api, make_user
from tests.resolvers.test_collections import create
from tests.resolvers.test_search import SEARCH, upload

SEARCH_BODY = {"query": SEARCH, "variables": {"input": {"query": "revenue", "topK": 1}}}


def post(api: Api, body: dict[str, Any]) -> httpx.Response:
    return api.http.post("/graphql", json=body, headers=api.headers)


def test_search_over_the_burst_is_rate_limited_with_retry_after(
    alice: Api, bob: Api, tight_search_limit: None
) -> None:
    for _ in range(3):
        assert "errors" not in post(alice, SEARCH_BODY).json()
    response = post(alice, SEARCH_BODY)
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == ErrorCode.RATE_LIMITED
    # One token back at 0.5 a second: about two seconds.
    assert 0 < error["extensions"]["retryAfter"] <= 2
    assert response.headers["Retry-After"] in ("1", "2")
    assert "PALIAPI_RATE_LIMIT_SEARCH" in error["message"]
    # Buckets are per user: Bob still has his.
    assert "errors" not in post(bob, SEARCH_BODY).json()
    assert "Retry-After" not in post(bob, SEARCH_BODY).headers


async def test_admins_are_exempt(
    db: Database, http: httpx.Client, tight_search_limit: None
) -> None:
    _, token = await make_user(db, "root", admin=True)
    admin = Api(http, token)
    for _ in range(6):
        assert "errors" not in post(admin, SEARCH_BODY).json()


def test_uploads_have_their_own_bucket(alice: Api) -> None:
    create(alice, "docs")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "rate_limit_upload_burst", 1)
        patch.setattr(settings, "rate_limit_upload_per_s", 0.01)
        first = upload(alice, "docs", "a.pdf", files.pdf(1))
        assert first["status"] == "READY"
        second = alice.upload(
            '\nmutation($file: Upload) { uploadDocument(input: {collectionName: "docs", '
            'name: "b.pdf", file: $file}) { id } }',
            {"file": None},
            {"file": ("b.pdf", files.pdf(1))},
        )
        error = second["errors"][0]
        assert error["extensions"]["code"] == ErrorCode.RATE_LIMITED
        assert error["extensions"]["retryAfter"] > 60  # 1 token at 0.01/s
        # Searching is another bucket, untouched by uploads.
        assert "errors" not in post(alice, SEARCH_BODY).json()


async def test_processes_share_one_bucket(database_url: str, db: Database) -> None:
    """Two engines (as two API processes would have) racing: exactly `burst` requests pass."""
    user, _ = await make_user(db, "racer")
    other = Database(database_url, pool_size=5)
    bucket = Bucket("test", per_s=0.001, burst=5, setting="TEST")
    try:

        async def attempt(database: Database) -> bool:
            try:
                await take(database, user, bucket)
            except PaliError as error:
                return error.code is not ErrorCode.RATE_LIMITED  # anything else fails below
            return True

        outcomes = await asyncio.gather(*(attempt(d) for d in [db, other] * 10))
    finally:
        await other.dispose()
    assert sum(outcomes) == 5


async def test_the_bucket_refills(db: Database) -> None:
    user, _ = await make_user(db, "patient")
    bucket = Bucket("test", per_s=20, burst=1, setting="TEST")
    await take(db, user, bucket)
    with pytest.raises(PaliError) as info:
        await take(db, user, bucket)
    retry_after = info.value.extensions["retryAfter"]
    assert 0 < retry_after <= 0.05
    await asyncio.sleep(retry_after + 0.05)
    await take(db, user, bucket)


def test_exact_search_is_capped_with_a_way_to_narrow_it(alice: Api) -> None:
    create(alice, "docs")
    upload(alice, "docs", "big.pdf", files.pdf(3), kind="big")
    upload(alice, "docs", "small.pdf", files.pdf(1), kind="small")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "max_exact_candidates", 2)
        exact: dict[str, Any] = {"query": "revenue", "exact": True}
        body = {"query": SEARCH, "variables": {"input": exact}}
        error = post(alice, body).json()["errors"][0]
        assert error["extensions"]["code"] == ErrorCode.BAD_USER_INPUT
        assert error["extensions"]["limit"] == 2
        assert "documentFilter" in error["message"]
        assert "PALIAPI_MAX_EXACT_CANDIDATES" in error["message"]
        # Narrowed to one page, or not exact: answered.
        narrowed = {**exact, "documentFilter": {"kind": "small"}}
        results = post(alice, {"query": SEARCH, "variables": {"input": narrowed}}).json()
        assert len(results["data"]["search"]["results"]) == 1
        inexact = {**exact, "exact": False}
        assert (
            "errors" not in post(alice, {"query": SEARCH, "variables": {"input": inexact}}).json()
        )
