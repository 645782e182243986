"""Fixtures for the dashboard tests: an app over dashboard_company.py's company on both stores."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from b2bgrowth.auth import service
from b2bgrowth.web.app import create_app
from dashboard_company import PASSWORDS, seed

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(ws):
    seed(ws)
    return create_app(ws)


@pytest.fixture
def signed_in(app):
    """signed_in("viewer", "en") → a TestClient with that role's session and language."""
    clients = []

    def make(role: str = "admin", lang: str = "zh_CN") -> TestClient:
        if service.get_user(app.state.ws, role) is None:  # argon2 is slow on purpose: only the roles used
            service.create_user(app.state.ws, role, role, PASSWORDS[role])
        client = TestClient(app)
        client.cookies.set("lang", lang)
        token = CSRF_INPUT.search(client.get("/login").text).group(1)
        response = client.post("/login", data={"login": role, "password": PASSWORDS[role], "csrf_token": token},
                               follow_redirects=False)
        assert response.status_code == 303, response.text
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def anonymous(app):
    with TestClient(app) as client:
        yield client
