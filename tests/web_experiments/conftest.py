"""Fixtures for the experiment pages: the shared seeded company (tests/web/seed_company.py) on the
`ws` fixture (SQLite and, when configured, PostgreSQL). `signed_in(role, lang)` comes from tests/conftest.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from seed_company import seed_company, seed_users  # noqa: E402

from b2bgrowth.web.app import create_app  # noqa: E402


@pytest.fixture
def app(ws):
    seed_users(ws)
    seed_company(ws, extra_accounts=30)
    return create_app(ws)
