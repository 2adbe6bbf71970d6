"""Fixtures shared by the resolver tests."""

from __future__ import annotations

import pytest

from tests import files
from tests.conftest import Api
from tests.resolvers.test_collections import create
from tests.resolvers.test_search import upload


@pytest.fixture
def library(alice: Api) -> Api:
    """Alice's two collections: reports (2023 and 2024 PDFs) and notes (a 2024 PDF)."""
    create(alice, "reports", {"team": "finance"})
    create(alice, "notes", {"team": "ops"})
    upload(alice, "reports", "r2023.pdf", files.pdf(3, title="Annual"), year=2023)
    upload(alice, "reports", "r2024.pdf", files.pdf(2, title="Budget"), year=2024)
    upload(alice, "notes", "n2024.pdf", files.pdf(2, title="Meeting"), year=2024)
    return alice
