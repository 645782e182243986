"""Web fixtures: an app over the `ws` fixture (SQLite and PostgreSQL), clients signed in per role."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from seed_company import seed_company, seed_users
from web_helpers import sign_in

from b2bgrowth.web.app import create_app


@pytest.fixture
def seeded(ws):
    seed_users(ws)
    seed_company(ws)
    return ws


@pytest.fixture
def app(seeded):
    return create_app(seeded)


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c


@pytest.fixture
def signed_in(app):
    """signed_in("viewer") → a TestClient with that role's session."""
    clients = []

    def make(role: str = "admin", lang: str | None = None) -> TestClient:
        c = TestClient(app)
        if lang:
            c.cookies.set("lang", lang)
        response = sign_in(c, role)
        assert response.status_code == 303, response.text
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.close()
