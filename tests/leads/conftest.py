"""API fixtures for lead tests: an app over the `ws` fixture and a bearer client per role."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

import pytest
from fastapi.testclient import TestClient

from b2bgrowth.auth import security, service
from b2bgrowth.auth.models import User

PASSWORD = "correct-horse-battery-staple-42"


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return security.hash_password(PASSWORD)  # argon2 is slow on purpose: hash once per session


@pytest.fixture
def api(ws):
    """api("sales") → a TestClient sending that role's bearer token (user login = role)."""
    from b2bgrowth.web.app import create_app

    app = create_app(ws)
    clients: dict[str | None, TestClient] = {}

    def make(role: str | None = "admin") -> TestClient:
        if role in clients:  # one user and token per role (hashing them is deliberately slow)
            return clients[role]
        client = TestClient(app)
        if role is not None:
            if service.get_user(ws, role) is None:
                with ws.store.write(touched=["users"]) as session:
                    session.add(User(login=role, role=role, display_name=role, password_hash=_password_hash(),
                                     active=True, created_at=datetime(2024, 1, 1)))
            client.headers["Authorization"] = f"Bearer {service.create_token(ws, role)}"
        clients[role] = client
        return client

    yield make
    for client in clients.values():
        client.close()
