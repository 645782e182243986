"""Fixtures for the experiment pages: the shared seeded company (tests/web/seed_company.py) on the
`ws` fixture (SQLite and, when configured, PostgreSQL) and TestClients signed in per role."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from seed_company import PASSWORDS, seed_company, seed_users  # noqa: E402

from b2bgrowth.web.app import create_app  # noqa: E402

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(client: TestClient, path: str) -> str:
    return CSRF_INPUT.search(client.get(path).text).group(1)


@pytest.fixture
def app(ws):
    seed_users(ws)
    seed_company(ws, extra_accounts=30)
    return create_app(ws)


@pytest.fixture
def signed_in(app):
    """signed_in("viewer", "en") → a TestClient with that role's session and language."""
    clients = []

    def make(role: str = "admin", lang: str = "en") -> TestClient:
        client = TestClient(app)
        client.cookies.set("lang", lang)
        token = csrf_of(client, "/login")
        response = client.post("/login", data={"login": role, "password": PASSWORDS[role], "csrf_token": token},
                               follow_redirects=False)
        assert response.status_code == 303, response.text
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
