"""Lead, pipeline and channel pages over the hand-built dataset of leads_seed.py, on both stores."""

from __future__ import annotations

import sys
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from b2bgrowth.auth import service
from b2bgrowth.auth.models import User
from b2bgrowth.auth.security import hash_password
from b2bgrowth.web.app import create_app

sys.path.insert(0, str(Path(__file__).parent))
from leads_seed import WINDOW, seed_leads  # noqa: E402,F401
from page_helpers import CSRF_INPUT  # noqa: E402

PASSWORDS = {"admin": "admin-pass-123", "viewer": "viewer-pass-1", "sales": "sales-pass-12", "ops": "ops-pass-1234",
             "csm": "csm-pass-1234"}



@lru_cache(maxsize=None)
def _hash(password: str) -> str:
    return hash_password(password)  # argon2 is slow on purpose: once per password per run


@pytest.fixture
def app(ws):
    seed_leads(ws)
    return create_app(ws)


@pytest.fixture
def signed_in(app):
    """signed_in("viewer", "en") → a TestClient with that role's session and language."""
    clients = []

    def make(role: str = "admin", lang: str = "en") -> TestClient:
        if service.get_user(app.state.ws, role) is None:  # only the roles used; each password hashed once
            with app.state.ws.store.write(touched=["users"]) as session:
                session.add(User(login=role, role=role, display_name=role.title(), password_hash=_hash(PASSWORDS[role]),
                                 active=True, created_at=datetime(2024, 1, 1)))
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
