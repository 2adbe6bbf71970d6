"""Fixtures for the eval tests: the sanity set, built once, and a user of the test server."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.db.engine import Database
from app.evals.sanity import build_sanity_set
from tests.conftest import make_user


@pytest.fixture(scope="session")
def sanity_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sanity_set(tmp_path_factory.mktemp("sanity"))


@pytest.fixture
async def eval_token(db: Database) -> str:
    _, token = await make_user(db, "evaluator")
    return token
