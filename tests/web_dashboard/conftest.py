"""Fixtures for the dashboard tests: an app over dashboard_company.py's company on both stores.
`signed_in(role, lang)` and `anonymous` come from tests/conftest.py."""

from __future__ import annotations

import pytest
from dashboard_company import seed

from b2bgrowth.web.app import create_app


@pytest.fixture
def app(ws):
    seed(ws)
    return create_app(ws)
