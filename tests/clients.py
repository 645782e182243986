"""Test clients for the JSON API: a TestClient that sends a fresh API token of a role (one copy
for the test folders that call /api/v1 as a machine would; tests/ is on sys.path)."""

from __future__ import annotations

from fastapi.testclient import TestClient


def bearer_client(app, ws, role: str) -> TestClient:
    """A client of `app` authenticated by a new API token of a user whose login is `role`."""
    from b2bgrowth.auth import service

    client = TestClient(app)
    client.headers["Authorization"] = f"Bearer {service.create_token(ws, role)}"
    return client
